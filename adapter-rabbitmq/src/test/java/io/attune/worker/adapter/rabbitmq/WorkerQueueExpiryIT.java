package io.attune.worker.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.core.model.worker.WorkerId;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-worker queues expire once their worker is gone (x-expires), on a real broker. */
class WorkerQueueExpiryIT {

  @RegisterExtension
  final ConnectedAdapter mq = new ConnectedAdapter();

  @Test
  void the_queue_of_a_worker_gone_for_the_expiry_is_deleted_by_the_broker() {
    WorkerId gone = TestBroker.uniqueWorker();
    String queue = RabbitTopology.workerQueue(gone);
    try (RabbitAdapter shortLived = RabbitAdapter.connect(
        mq.broker().settings().withWorkerQueueExpiry(Duration.ofSeconds(1)), Fixtures.CLOCK)) {
      shortLived.workerQueues().declare(gone);
      assertThat(mq.broker().exists(queue)).isTrue();
    }

    // a passive declare, which is how exists() looks, renews the lease: look seldom, so the queue can go unused
    await().pollDelay(Duration.ofSeconds(3)).pollInterval(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(60))
        .until(() -> !mq.broker().exists(queue));
  }

  @Test
  void a_queue_declared_by_an_older_version_without_expiry_is_used_as_it_is() {
    WorkerId worker = TestBroker.uniqueWorker();
    String queue = RabbitTopology.workerQueue(worker);
    mq.broker().withChannel(channel -> channel.queueDeclare(queue, true, false, false,
        Map.of("x-dead-letter-exchange", RabbitTopology.DEAD_LETTER_EXCHANGE)));

    assertThatCode(() -> mq.adapter().workerQueues().declare(worker)).doesNotThrowAnyException();
    mq.adapter().dispatcher().dispatch(Fixtures.scheduledOn(worker, Map.of()), Fixtures.worker(worker));

    assertThat(mq.broker().ready(queue)).as("still bound to the dispatch route").isEqualTo(1);
    mq.adapter().workerQueues().delete(worker);
  }
}
