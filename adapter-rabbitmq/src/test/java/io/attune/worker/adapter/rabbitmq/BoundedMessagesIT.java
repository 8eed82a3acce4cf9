package io.attune.worker.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.attune.worker.adapter.rabbitmq.broker.BrokerConnection;
import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.adapter.rabbitmq.broker.ResultMessage;
import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import io.attune.worker.adapter.rabbitmq.in.DispatchConsumer;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.port.in.StopExecutionUseCase;
import io.attune.worker.core.port.out.ExecutionObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every message is bounded (issue 22): a consumer refuses a body above the cap by dead-lettering it, unread, without
 * losing its channel or its connection; the broker refuses a publish above its {@code max_message_size} before any
 * consumer sees it; and a consumer whose connection keeps failing says it is not consuming.
 */
class BoundedMessagesIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  /** The test broker's {@code max_message_size} (scripts/test-services.sh), as compose's and Kubernetes'. */
  private static final int BROKER_MAX = 8 * 1024 * 1024;
  private static final int CAP = RabbitSettings.DEFAULT_MAX_MESSAGE_BYTES;
  private static final int ONE_MIB = 1024 * 1024;

  @RegisterExtension
  final ConnectedAdapter mq = new ConnectedAdapter();

  @Test
  void a_dispatch_above_the_cap_is_dead_lettered_as_oversized_and_the_consumer_handles_the_next_one() {
    WorkerId worker = TestBroker.uniqueWorker();
    String queue = RabbitTopology.workerQueue(worker);
    mq.adapter().workerQueues().declare(worker);
    ScriptedExecutions handled = ScriptedExecutions.ignoringAfter(call -> { });
    DispatchConsumer consumer = mq.track(mq.adapter().consumeDispatches(worker, 2, handled));
    mq.broker().publishRaw(RabbitTopology.dispatchRoutingKey(worker), null, dispatchOf(CAP + 1));
    GetResponse dead = mq.broker().awaitDeadLetter(r -> queue.equals(TestBroker.header(r,
        RabbitTopology.ORIGINAL_QUEUE_HEADER)));
    Execution valid = Fixtures.scheduledOn(worker, Map.of());
    mq.adapter().dispatcher().dispatch(valid, Fixtures.worker(worker));

    await().atMost(PATIENCE).until(() -> handled.executions().contains(valid.id()));
    assertThat(TestBroker.header(dead, RabbitTopology.REJECT_REASON_HEADER))
        .isEqualTo(oversizedBy(CAP + 1));
    assertThat(dead.getBody()).hasSize(CAP + 1);
    assertThat(handled.executions()).as("the oversized one never reached the use case").containsExactly(valid.id());
    assertThat(consumer.isConsuming()).isTrue();
    assertThat(consumer.consumerLosses()).as("the consumer's channel was never lost").isZero();
    assertThat(mq.connectionLosses()).as("nor the connection: no recovery happened").isZero();
    await().atMost(PATIENCE).until(() -> mq.broker().ready(queue) == 0);
  }

  @Test
  void a_request_above_the_cap_is_dead_lettered_as_oversized_and_the_scheduler_handles_the_next_one() {
    mq.broker().purge(RabbitTopology.REQUEST_QUEUE);
    List<ExecutionId> received = new CopyOnWriteArrayList<>();
    Subscription inbox = mq.track(mq.adapter().consumeRequests(2, requested -> {
      received.add(requested);
      return new Scheduling.Skipped(requested, "scripted");
    }, outcome -> { }));
    byte[] oversized = Fixtures.paddedEnvelope("execution.request", UUID.randomUUID(), "{\"execution_id\":"
        + Fixtures.nextExecutionId().value() + "}", ONE_MIB);

    mq.broker().publishRaw(RabbitTopology.REQUEST_ROUTING_KEY, null, oversized);
    GetResponse dead = mq.broker().awaitDeadLetter(r -> RabbitTopology.REQUEST_QUEUE.equals(TestBroker.header(r,
        RabbitTopology.ORIGINAL_QUEUE_HEADER)));
    ExecutionId valid = Fixtures.nextExecutionId();
    mq.adapter().requests().publish(valid);

    await().atMost(PATIENCE).until(() -> received.contains(valid));
    assertThat(TestBroker.header(dead, RabbitTopology.REJECT_REASON_HEADER))
        .isEqualTo(oversizedBy(ONE_MIB));
    assertThat(received).containsExactly(valid);
    assertThat(inbox.isConsuming()).isTrue();
    assertThat(inbox.consumerLosses()).isZero();
    assertThat(mq.connectionLosses()).isZero();
  }

  @Test
  void results_and_stop_requests_above_the_cap_are_dead_lettered_as_oversized_too() {
    WorkerId worker = TestBroker.uniqueWorker();
    List<ResultMessage> results = new CopyOnWriteArrayList<>();
    List<ExecutionId> stopped = new CopyOnWriteArrayList<>();
    Subscription resultQueue = mq.track(mq.adapter().consumeResults(results::add));
    Subscription stopQueue = mq.track(mq.adapter().consumeStops(worker, new StopExecutionUseCase() {
      @Override
      public boolean stop(ExecutionId execution, int attempt) {
        return stopped.add(execution);
      }

      @Override
      public List<ExecutionId> stopCancelled(WorkerId self) {
        return List.of();
      }


      @Override

      public List<ExecutionId> stopWhatIsNoLongerHeld(WorkerId self) {

        return List.of();

      }
    }));
    ExecutionId id = Fixtures.nextExecutionId();

    mq.broker().publishRaw(RabbitTopology.resultRoutingKey(id), null, Fixtures.paddedEnvelope("execution.result",
        UUID.randomUUID(), "{\"execution_id\":" + id.value() + ",\"attempt\":1,\"status\":\"succeeded\"}", CAP + 1));
    mq.broker().publishRaw(RabbitTopology.stopRoutingKey(worker), null, Fixtures.paddedEnvelope("execution.cancel",
        UUID.randomUUID(), "{\"execution_id\":" + id.value() + ",\"attempt\":1}", CAP + 1));
    List<GetResponse> dead = mq.broker().awaitDeadLetters(r -> List.of(resultQueue.queue(), stopQueue.queue())
        .contains(TestBroker.header(r, RabbitTopology.ORIGINAL_QUEUE_HEADER)), 2);
    mq.adapter().results().publish(id, 1, ExecutionStatus.FAILED);

    await().atMost(PATIENCE).until(() -> !results.isEmpty());
    assertThat(dead).extracting(r -> TestBroker.header(r, RabbitTopology.REJECT_REASON_HEADER))
        .containsOnly(oversizedBy(CAP + 1));
    assertThat(results).containsExactly(new ResultMessage(id, 1, "failed"));
    assertThat(stopped).isEmpty();
    assertThat(stopQueue.isConsuming()).isTrue();
  }

  @Test
  void the_broker_refuses_a_publish_above_its_max_message_size_and_the_consumer_never_sees_it() {
    WorkerId worker = TestBroker.uniqueWorker();
    mq.adapter().workerQueues().declare(worker);
    ScriptedExecutions handled = ScriptedExecutions.ignoringAfter(call -> { });
    DispatchConsumer consumer = mq.track(mq.adapter().consumeDispatches(worker, 1, handled));

    Optional<ShutdownSignalException> refusal = mq.broker().publishRefused(RabbitTopology.dispatchRoutingKey(worker),
        new byte[BROKER_MAX + 1]);
    Execution valid = Fixtures.scheduledOn(worker, Map.of());
    mq.adapter().dispatcher().dispatch(valid, Fixtures.worker(worker));

    assertThat(refusal).as("the publishing channel is closed by the broker").isPresent();
    assertThat(refusal.get().getMessage()).contains("PRECONDITION_FAILED").contains("max size");
    await().atMost(PATIENCE).until(() -> handled.executions().contains(valid.id()));
    assertThat(handled.executions()).containsExactly(valid.id());
    assertThat(consumer.isConsuming()).isTrue();
    assertThat(consumer.consumerLosses()).isZero();
  }

  /**
   * The fault of issue 22 itself, made small: a delivery above the client library's own limit closes the whole
   * connection, recovery reopens it, and the broker delivers the same message again. Nothing in the adapter can end
   * that on a classic queue; what it can do is say so, so the worker stops taking placements.
   */
  @Test
  void a_delivery_above_the_clients_own_limit_loops_and_the_consumer_says_it_is_not_consuming_until_a_purge() {
    WorkerId worker = TestBroker.uniqueWorker();
    String queue = RabbitTopology.workerQueue(worker);
    ScriptedExecutions handled = ScriptedExecutions.ignoringAfter(call -> { });
    try (RabbitAdapter limited = RabbitAdapter.connect(BrokerConnection.open(mq.broker().settings(), ONE_MIB),
        Fixtures.CLOCK, ExecutionObserver.NONE)) {
      limited.workerQueues().declare(worker);
      DispatchConsumer consumer = limited.consumeDispatches(worker, 1, handled);
      assertThat(consumer.isConsuming()).isTrue();

      mq.broker().publishRaw(RabbitTopology.dispatchRoutingKey(worker), null, dispatchOf(2 * ONE_MIB));

      await().atMost(Duration.ofSeconds(90)).until(() -> consumer.consumerLosses() >= 3);
      await().atMost(PATIENCE).until(() -> !consumer.isConsuming());
      assertThat(handled.calls()).isEmpty();

      // between two deliveries the message is back in the queue, where a purge can take it
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> mq.broker().purge(queue) == 1);
      Execution valid = Fixtures.scheduledOn(worker, Map.of());
      mq.adapter().dispatcher().dispatch(valid, Fixtures.worker(worker));
      await().atMost(Duration.ofSeconds(60)).until(() -> handled.executions().contains(valid.id()));
      assertThat(consumer.isConsuming()).isTrue();
    } finally {
      mq.broker().withChannel(channel -> channel.queueDelete(queue));
    }
  }

  /** A valid dispatch of a new execution but for its size. */
  private static byte[] dispatchOf(int size) {
    return Fixtures.paddedEnvelope("execution.dispatch", UUID.randomUUID(), "{\"execution_id\":"
        + Fixtures.nextExecutionId().value() + ",\"attempt\":1,\"action_ref\":\"core.echo\"}", size);
  }

  /** The reason a consumer gives for a body of this size, with the default cap. */
  private static String oversizedBy(int size) {
    return "oversized: " + size + " bytes, more than the cap of " + CAP + " bytes";
  }
}
