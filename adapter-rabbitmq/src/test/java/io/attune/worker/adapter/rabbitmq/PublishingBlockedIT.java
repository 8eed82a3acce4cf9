package io.attune.worker.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.attune.worker.core.error.InfrastructureException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A broker in a resource alarm blocks publishers ({@code connection.blocked}); the adapter says so, with the broker's
 * reason, so a scheduler can stop placing until the alarm clears. The alarm is raised on the private test broker
 * by lowering its memory watermark, and always lowered again.
 */
class PublishingBlockedIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  /** RabbitMQ's default watermark, which scripts/test-services.sh leaves as it is. */
  private static final String DEFAULT_WATERMARK = "0.4";

  @RegisterExtension
  final ConnectedAdapter mq = new ConnectedAdapter();

  @Test
  void while_a_memory_alarm_blocks_publishing_the_adapter_names_the_reason_and_forgets_it_once_cleared() {
    assertThat(mq.adapter().publishingBlocked()).isEmpty();
    CompletableFuture<Void> publish;
    try {
      TestBroker.ctl("rabbitmqctl", "set_vm_memory_high_watermark", "0.0000001");
      // the broker blocks a connection when it publishes during the alarm: this publish waits for its confirm
      publish = CompletableFuture.runAsync(() -> {
        try {
          mq.adapter().requests().publish(Fixtures.nextExecutionId());
        } catch (InfrastructureException notConfirmedWhileBlocked) {
          // expected when the alarm outlasts the confirm timeout
        }
      });

      await().atMost(PATIENCE).until(() -> mq.adapter().publishingBlocked().isPresent());
      assertThat(mq.adapter().publishingBlocked().get()).contains("memory");
    } finally {
      TestBroker.ctl("rabbitmqctl", "set_vm_memory_high_watermark", DEFAULT_WATERMARK);
    }

    await().atMost(PATIENCE).until(() -> mq.adapter().publishingBlocked().isEmpty());
    await().atMost(PATIENCE).until(publish::isDone);
    assertThat(mq.adapter().isOpen()).isTrue();
  }
}
