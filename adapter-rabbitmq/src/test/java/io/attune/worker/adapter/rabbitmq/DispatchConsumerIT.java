package io.attune.worker.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.GetResponse;
import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.adapter.rabbitmq.broker.ResultMessage;
import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import io.attune.worker.adapter.rabbitmq.in.DispatchConsumer;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.in.RunExecutionUseCase.Handling;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker side on a real broker: acknowledgements, redelivery, dead letters, prefetch and closing of the consumer
 * that hands dispatches to the core's use case, and the announcement of what the use case ran.
 */
class DispatchConsumerIT {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @RegisterExtension
  final ConnectedAdapter mq = new ConnectedAdapter();

  @Test
  void a_use_case_that_returns_gets_its_messages_acknowledged_and_the_queue_ends_empty() {
    WorkerId worker = TestBroker.uniqueWorker();
    mq.adapter().workerQueues().declare(worker);
    Execution first = dispatch(worker, Map.of("n", 1));
    Execution second = dispatch(worker, Map.of("n", 2));
    ScriptedExecutions handled = ScriptedExecutions.ignoringAfter(call -> { });

    Subscription subscription = mq.track(mq.adapter().consumeDispatches(worker, 2, handled));
    await().atMost(PATIENCE).until(() -> handled.calls().size() == 2);
    subscription.close();

    assertThat(subscription.awaitInFlight(PATIENCE)).isTrue();
    assertThat(handled.executions()).containsExactlyInAnyOrder(first.id(), second.id());
    assertThat(handled.calls()).allSatisfy(call -> {
      assertThat(call.attempt()).isEqualTo(1);
      assertThat(call.self()).as("the consumer tells the use case which worker it is").isEqualTo(worker);
    });
    // the channel is closed now: anything unacknowledged would be back in the queue
    assertThat(mq.broker().ready(RabbitTopology.workerQueue(worker))).isZero();
    assertThat(subscription.isActive()).isFalse();
  }

  @Test
  void a_use_case_that_fails_once_gets_the_message_again_and_then_acknowledges_it() {
    WorkerId worker = TestBroker.uniqueWorker();
    mq.adapter().workerQueues().declare(worker);
    Execution execution = dispatch(worker, Map.of());
    AtomicInteger attempts = new AtomicInteger();
    ScriptedExecutions calls = ScriptedExecutions.ignoringAfter(call -> {
      if (attempts.incrementAndGet() == 1) {
        throw new IllegalStateException("database unavailable");
      }
    });

    Subscription subscription = mq.track(mq.adapter().consumeDispatches(worker, 1, calls));
    await().atMost(PATIENCE).until(() -> calls.calls().size() == 2);
    subscription.close();

    assertThat(subscription.awaitInFlight(PATIENCE)).isTrue();
    assertThat(calls.executions()).containsExactly(execution.id(), execution.id());
    assertThat(mq.broker().ready(RabbitTopology.workerQueue(worker))).isZero();
  }

  @Test
  void a_dispatch_whose_use_case_fails_twice_is_dead_lettered_with_the_reason() {
    WorkerId worker = TestBroker.uniqueWorker();
    mq.adapter().workerQueues().declare(worker);
    Execution execution = dispatch(worker, Map.of());
    ScriptedExecutions calls = ScriptedExecutions.ignoringAfter(call -> {
      throw new IllegalStateException("disk full");
    });

    mq.track(mq.adapter().consumeDispatches(worker, 1, calls));
    GetResponse dead = mq.broker().awaitDeadLetter(r -> TestBroker.body(r).contains(
        "\"execution_id\":" + execution.id().value()));

    assertThat(TestBroker.header(dead, RabbitTopology.REJECT_REASON_HEADER))
        .contains("handler failed again on redelivery").contains("disk full");
    assertThat(TestBroker.header(dead, RabbitTopology.ORIGINAL_QUEUE_HEADER))
        .isEqualTo(RabbitTopology.workerQueue(worker));
    assertThat(calls.calls()).hasSize(2);
    await().atMost(PATIENCE).until(() -> mq.broker().ready(RabbitTopology.workerQueue(worker)) == 0);
  }

  @Test
  void unreadable_messages_are_dead_lettered_with_their_reason_and_the_consumer_goes_on() {
    WorkerId worker = TestBroker.uniqueWorker();
    mq.adapter().workerQueues().declare(worker);
    String key = RabbitTopology.dispatchRoutingKey(worker);
    mq.broker().publishRaw(key, "this is not json");
    mq.broker().publishRaw(key, "{\"message_id\":\"7b0c5c52-51a4-4c4f-9d3e-0a4d2f8c9e11\",\"message_type\":"
        + "\"execution.dispatch\",\"timestamp\":\"2026-03-01T10:15:30Z\",\"payload\":{\"attempt\":1}}");
    mq.broker().publishRaw(key, "{\"message_id\":\"0f7c1f0e-7d7a-4d55-8f67-5b0c1f6b2a90\",\"message_type\":"
        + "\"execution.result\",\"timestamp\":\"2026-03-01T10:15:30Z\",\"payload\":{\"execution_id\":5,"
        + "\"attempt\":1,\"status\":\"succeeded\"}}");
    Execution valid = dispatch(worker, Map.of());
    ScriptedExecutions handled = ScriptedExecutions.ignoringAfter(call -> { });

    mq.track(mq.adapter().consumeDispatches(worker, 1, handled));
    await().atMost(PATIENCE).until(() -> handled.calls().size() == 1);
    List<GetResponse> dead = mq.broker().awaitDeadLetters(r -> RabbitTopology.workerQueue(worker).equals(
        TestBroker.header(r, RabbitTopology.ORIGINAL_QUEUE_HEADER)), 3);

    assertThat(handled.executions()).containsExactly(valid.id());
    assertThat(dead).extracting(r -> TestBroker.header(r, RabbitTopology.REJECT_REASON_HEADER))
        .anySatisfy(reason -> assertThat(reason).contains("body is not JSON"))
        .anySatisfy(reason -> assertThat(reason).contains("payload.execution_id is missing"))
        .anySatisfy(reason -> assertThat(reason).contains("message_type is 'execution.result'"));
    assertThat(dead).extracting(TestBroker::body).contains("this is not json");
    await().atMost(PATIENCE).until(() -> mq.broker().ready(RabbitTopology.workerQueue(worker)) == 0);
  }

  @Test
  void no_more_handlers_run_at_once_than_the_prefetch() throws Exception {
    WorkerId worker = TestBroker.uniqueWorker();
    mq.adapter().workerQueues().declare(worker);
    int prefetch = 3;
    int messages = 12;
    for (int i = 0; i < messages; i++) {
      dispatch(worker, Map.of("i", i));
    }
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    CountDownLatch gate = new CountDownLatch(1);

    mq.track(mq.adapter().consumeDispatches(worker, prefetch, ScriptedExecutions.ignoringAfter(call -> {
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        gate.await(30, TimeUnit.SECONDS);
      } finally {
        running.decrementAndGet();
        done.incrementAndGet();
      }
    })));
    await().atMost(PATIENCE).until(() -> running.get() == prefetch);
    // the broker holds the rest back until something is acknowledged
    await().atMost(PATIENCE).until(() -> mq.broker().ready(RabbitTopology.workerQueue(worker)) == messages - prefetch);
    assertThat(running).hasValue(prefetch);
    gate.countDown();
    await().atMost(PATIENCE).until(() -> done.get() == messages);

    assertThat(mostAtOnce.get()).isEqualTo(prefetch);
    await().atMost(PATIENCE).until(() -> mq.broker().ready(RabbitTopology.workerQueue(worker)) == 0);
  }

  @Test
  void closing_stops_new_work_but_lets_the_running_execution_finish_and_acknowledge() {
    WorkerId worker = TestBroker.uniqueWorker();
    mq.adapter().workerQueues().declare(worker);
    Execution running = dispatch(worker, Map.of());
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<ExecutionId> finished = new CopyOnWriteArrayList<>();
    Subscription subscription = mq.track(mq.adapter().consumeDispatches(worker, 2,
        ScriptedExecutions.ignoringAfter(call -> {
          started.countDown();
          release.await(30, TimeUnit.SECONDS);
          finished.add(call.execution());
        })));
    await().atMost(PATIENCE).until(() -> started.getCount() == 0);

    subscription.close();
    dispatch(worker, Map.of()); // after the cancel: stays in the queue

    assertThat(subscription.awaitInFlight(Duration.ofMillis(200))).isFalse();
    release.countDown();
    assertThat(subscription.awaitInFlight(PATIENCE)).isTrue();
    assertThat(finished).containsExactly(running.id());
    assertThat(mq.broker().ready(RabbitTopology.workerQueue(worker))).isEqualTo(1);
  }

  @Test
  void the_end_of_a_run_is_announced_once_by_the_use_case_through_the_events_and_not_again_by_the_consumer() {
    WorkerId worker = TestBroker.uniqueWorker();
    List<ResultMessage> announced = new CopyOnWriteArrayList<>();
    Execution dispatched = dispatchAfterDeclaring(worker);
    mq.track(mq.adapter().consumeResults(announced::add));
    Execution ended = dispatched.start(1, worker, Fixtures.NOW).execution()
        .finish(1, ExecutionStatus.FAILED, ExecutionResult.message("exit 3"), Fixtures.NOW).execution();

    Subscription consumer = mq.track(mq.adapter().consumeDispatches(worker, 1,
        ScriptedExecutions.answering(call -> {
          mq.adapter().events().ended(ended); // as RunExecutionService does once it stored the end
          return new Handling.Ran(new Transition.Applied(ended));
        })));
    await().atMost(PATIENCE).until(() -> !announced.isEmpty());
    consumer.close();
    assertThat(consumer.awaitInFlight(PATIENCE)).isTrue();
    // announced after the run was handled: once it arrives, anything the consumer announced would have too
    ExecutionId marker = Fixtures.nextExecutionId();
    mq.adapter().results().publish(marker, 0, ExecutionStatus.CANCELLED);
    await().atMost(PATIENCE).until(() -> announced.stream().anyMatch(r -> r.executionId().equals(marker)));

    assertThat(announced.stream().filter(r -> r.executionId().equals(dispatched.id())))
        .containsExactly(new ResultMessage(dispatched.id(), 1, "failed"));
  }

  @Test
  void interrupting_the_running_executions_reaches_the_use_case_and_the_dispatch_is_still_acknowledged() {
    WorkerId worker = TestBroker.uniqueWorker();
    dispatchAfterDeclaring(worker);
    CountDownLatch started = new CountDownLatch(1);
    AtomicInteger interrupted = new AtomicInteger();
    DispatchConsumer consumer = mq.adapter().consumeDispatches(worker, 1, ScriptedExecutions.ignoringAfter(call -> {
      started.countDown();
      try {
        Thread.sleep(PATIENCE.toMillis());
      } catch (InterruptedException cancelled) {
        interrupted.incrementAndGet(); // as the core does: ends the process and records the execution cancelled
      }
    }));
    mq.track(consumer);
    await().atMost(PATIENCE).until(() -> started.getCount() == 0);
    assertThat(consumer.running()).isEqualTo(1);

    consumer.close();
    consumer.interruptRunning();

    assertThat(consumer.awaitInFlight(PATIENCE)).isTrue();
    assertThat(interrupted).hasValue(1);
    assertThat(consumer.running()).isZero();
    assertThat(mq.broker().ready(RabbitTopology.workerQueue(worker))).isZero();
  }

  private Execution dispatch(WorkerId worker, Map<String, Object> parameters) {
    Execution execution = Fixtures.scheduledOn(worker, parameters);
    mq.adapter().dispatcher().dispatch(execution, Fixtures.worker(worker));
    return execution;
  }

  private Execution dispatchAfterDeclaring(WorkerId worker) {
    mq.adapter().workerQueues().declare(worker);
    return dispatch(worker, Map.of());
  }
}
