package io.attune.worker.adapter.rabbitmq.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.adapter.rabbitmq.Fixtures;
import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.adapter.rabbitmq.TestBroker;
import io.attune.worker.core.error.InfrastructureException;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A broker user whose password has every character that breaks inside a URL ({@code @ : / %}), given apart from the
 * URL as {@code ATTUNE_MQ_USER} and {@code ATTUNE_MQ_PASSWORD} do, connects to the real broker.
 */
class RabbitCredentialsIT {

  private static final String PASSWORD = "p@ss:w/rd%41+ x";

  private TestBroker broker;
  private String user;

  @BeforeEach
  void addUser() {
    broker = TestBroker.connect();
    user = "attune-it-" + UUID.randomUUID().toString().substring(0, 8);
    TestBroker.ctl("rabbitmqctl", "add_user", user, PASSWORD);
    TestBroker.ctl("rabbitmqctl", "set_permissions", "-p", "/", user, ".*", ".*", ".*");
  }

  @AfterEach
  void deleteUser() throws Exception {
    TestBroker.ctl("rabbitmqctl", "delete_user", user);
    broker.close();
  }

  @Test
  void a_password_with_url_special_characters_given_apart_from_the_url_connects() {
    RabbitSettings settings = broker.settings().withCredentials(user, PASSWORD);

    try (RabbitAdapter transport = RabbitAdapter.connect(settings, Fixtures.CLOCK)) {
      assertThat(transport.settings().endpoint().username()).isEqualTo(user);
    }
  }

  @Test
  void a_wrong_password_is_refused_without_the_message_showing_it() {
    RabbitSettings settings = broker.settings().withCredentials(user, PASSWORD + "-wrong");

    assertThatThrownBy(() -> RabbitAdapter.connect(settings, Fixtures.CLOCK).close())
        .isInstanceOf(InfrastructureException.class)
        .message().doesNotContain(PASSWORD);
  }
}
