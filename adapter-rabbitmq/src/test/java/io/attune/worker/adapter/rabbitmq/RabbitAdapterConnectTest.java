package io.attune.worker.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import io.attune.worker.core.error.InfrastructureException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class RabbitAdapterConnectTest {

  @Test
  void an_unreachable_broker_is_an_infrastructure_error_that_names_it_with_the_password_masked() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    RabbitSettings settings = RabbitSettings.of("amqp://attune:TopSecret99@127.0.0.1:" + closedPort + "/%2F");

    assertThatThrownBy(() -> RabbitAdapter.connect(settings, Clock.systemUTC()))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("connect to RabbitMQ")
        .hasMessageContaining("amqp://attune:****@127.0.0.1:" + closedPort)
        .hasMessageNotContaining("TopSecret99");
  }
}
