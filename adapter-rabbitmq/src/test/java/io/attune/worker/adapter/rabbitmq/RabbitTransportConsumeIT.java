package io.attune.worker.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.GetResponse;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.worker.WorkerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Consumers: acknowledgements, redelivery, dead letters, prefetch, closing, requests and results. */
class RabbitTransportConsumeIT {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @RegisterExtension
  final ConnectedTransport mq = new ConnectedTransport();
  private final List<Subscription> subscriptions = new ArrayList<>();

  @AfterEach
  void closeSubscriptions() {
    subscriptions.forEach(Subscription::close);
  }

  @Test
  void a_handler_that_returns_gets_its_messages_acknowledged_and_the_queue_ends_empty() {
    WorkerId worker = TestBroker.uniqueWorker();
    mq.transport().declareWorkerQueue(worker);
    Execution first = dispatch(worker, Map.of("n", 1));
    Execution second = dispatch(worker, Map.of("n", 2));
    List<DispatchMessage> handled = new CopyOnWriteArrayList<>();

    Subscription subscription = track(mq.transport().consumeDispatches(worker, 2, handled::add));
    await().atMost(PATIENCE).until(() -> handled.size() == 2);
    subscription.close();

    assertThat(subscription.awaitInFlight(PATIENCE)).isTrue();
    assertThat(handled).extracting(DispatchMessage::executionId).containsExactlyInAnyOrder(first.id(), second.id());
    assertThat(handled).allSatisfy(m -> {
      assertThat(m.attempt()).isEqualTo(1);
      assertThat(m.actionRef()).hasToString("core.echo");
    });
    // the channel is closed now: anything unacknowledged would be back in the queue
    assertThat(mq.broker().ready(RabbitTopology.workerQueue(worker))).isZero();
    assertThat(subscription.isActive()).isFalse();
  }

  @Test
  void a_handler_that_fails_once_gets_the_message_again_and_then_acknowledges_it() {
    WorkerId worker = TestBroker.uniqueWorker();
    mq.transport().declareWorkerQueue(worker);
    Execution execution = dispatch(worker, Map.of());
    List<ExecutionId> calls = new CopyOnWriteArrayList<>();

    Subscription subscription = track(mq.transport().consumeDispatches(worker, 1, message -> {
      calls.add(message.executionId());
      if (calls.size() == 1) {
        throw new IllegalStateException("database unavailable");
      }
    }));
    await().atMost(PATIENCE).until(() -> calls.size() == 2);
    subscription.close();

    assertThat(subscription.awaitInFlight(PATIENCE)).isTrue();
    assertThat(calls).containsExactly(execution.id(), execution.id());
    assertThat(mq.broker().ready(RabbitTopology.workerQueue(worker))).isZero();
  }

  @Test
  void a_message_whose_handler_fails_twice_is_dead_lettered_with_the_reason() {
    WorkerId worker = TestBroker.uniqueWorker();
    mq.transport().declareWorkerQueue(worker);
    Execution execution = dispatch(worker, Map.of());
    AtomicInteger calls = new AtomicInteger();

    track(mq.transport().consumeDispatches(worker, 1, message -> {
      calls.incrementAndGet();
      throw new IllegalStateException("disk full");
    }));
    GetResponse dead = mq.broker().awaitDeadLetter(r -> TestBroker.body(r).contains(
        "\"execution_id\":" + execution.id().value()));

    assertThat(TestBroker.header(dead, RabbitTopology.REJECT_REASON_HEADER))
        .contains("handler failed again on redelivery").contains("disk full");
    assertThat(TestBroker.header(dead, RabbitTopology.ORIGINAL_QUEUE_HEADER))
        .isEqualTo(RabbitTopology.workerQueue(worker));
    assertThat(calls).hasValue(2);
    await().atMost(PATIENCE).until(() -> mq.broker().ready(RabbitTopology.workerQueue(worker)) == 0);
  }

  @Test
  void unreadable_messages_are_dead_lettered_with_their_reason_and_the_consumer_goes_on() {
    WorkerId worker = TestBroker.uniqueWorker();
    mq.transport().declareWorkerQueue(worker);
    String key = RabbitTopology.dispatchRoutingKey(worker);
    mq.broker().publishRaw(key, "this is not json");
    mq.broker().publishRaw(key, "{\"message_id\":\"7b0c5c52-51a4-4c4f-9d3e-0a4d2f8c9e11\",\"message_type\":"
        + "\"execution.dispatch\",\"timestamp\":\"2026-03-01T10:15:30Z\",\"payload\":{\"attempt\":1}}");
    mq.broker().publishRaw(key, "{\"message_id\":\"0f7c1f0e-7d7a-4d55-8f67-5b0c1f6b2a90\",\"message_type\":"
        + "\"execution.result\",\"timestamp\":\"2026-03-01T10:15:30Z\",\"payload\":{\"execution_id\":5,"
        + "\"attempt\":1,\"status\":\"succeeded\"}}");
    Execution valid = dispatch(worker, Map.of());
    List<DispatchMessage> handled = new CopyOnWriteArrayList<>();

    track(mq.transport().consumeDispatches(worker, 1, handled::add));
    await().atMost(PATIENCE).until(() -> handled.size() == 1);
    List<GetResponse> dead = mq.broker().awaitDeadLetters(r -> RabbitTopology.workerQueue(worker).equals(
        TestBroker.header(r, RabbitTopology.ORIGINAL_QUEUE_HEADER)), 3);

    assertThat(handled).extracting(DispatchMessage::executionId).containsExactly(valid.id());
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
    mq.transport().declareWorkerQueue(worker);
    int prefetch = 3;
    int messages = 12;
    for (int i = 0; i < messages; i++) {
      dispatch(worker, Map.of("i", i));
    }
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    CountDownLatch gate = new CountDownLatch(1);

    track(mq.transport().consumeDispatches(worker, prefetch, message -> {
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        gate.await(30, TimeUnit.SECONDS);
      } finally {
        running.decrementAndGet();
        done.incrementAndGet();
      }
    }));
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
  void closing_stops_new_work_but_lets_the_running_handler_finish_and_acknowledge() {
    WorkerId worker = TestBroker.uniqueWorker();
    mq.transport().declareWorkerQueue(worker);
    Execution running = dispatch(worker, Map.of());
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<ExecutionId> finished = new CopyOnWriteArrayList<>();
    Subscription subscription = track(mq.transport().consumeDispatches(worker, 2, message -> {
      started.countDown();
      release.await(30, TimeUnit.SECONDS);
      finished.add(message.executionId());
    }));
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
  void the_scheduler_inbox_delivers_published_requests() {
    mq.broker().purge(RabbitTopology.REQUEST_QUEUE);
    ExecutionId id = Fixtures.nextExecutionId();
    List<ExecutionId> received = new CopyOnWriteArrayList<>();
    Subscription subscription = track(mq.transport().consumeExecutionRequests(2, received::add));

    mq.transport().publishExecutionRequest(id);

    await().atMost(PATIENCE).until(() -> received.contains(id));
    subscription.close();
    assertThat(subscription.awaitInFlight(PATIENCE)).isTrue();
    assertThat(mq.broker().ready(RabbitTopology.REQUEST_QUEUE)).isZero();
  }

  @Test
  void every_result_subscriber_sees_every_result_and_a_filtered_one_only_its_execution() {
    ExecutionId one = Fixtures.nextExecutionId();
    ExecutionId two = Fixtures.nextExecutionId();
    Map<String, List<ResultMessage>> seen = new ConcurrentHashMap<>();
    Subscription scheduler = track(mq.transport().consumeResults(r -> seen.computeIfAbsent("scheduler",
        k -> new CopyOnWriteArrayList<>()).add(r)));
    Subscription cli = track(mq.transport().consumeResults(r -> seen.computeIfAbsent("cli",
        k -> new CopyOnWriteArrayList<>()).add(r)));
    Subscription waiter = track(mq.transport().consumeResultsOf(two, r -> seen.computeIfAbsent("waiter",
        k -> new CopyOnWriteArrayList<>()).add(r)));

    mq.transport().publishResult(one, 1, "failed");
    mq.transport().publishResult(two, 0, "unschedulable");

    await().atMost(PATIENCE).until(() -> seen.getOrDefault("scheduler", List.of()).size() == 2
        && seen.getOrDefault("cli", List.of()).size() == 2 && seen.getOrDefault("waiter", List.of()).size() == 1);
    assertThat(seen.get("scheduler")).containsExactlyInAnyOrder(new ResultMessage(one, 1, "failed"),
        new ResultMessage(two, 0, "unschedulable"));
    assertThat(seen.get("waiter")).containsExactly(new ResultMessage(two, 0, "unschedulable"));
    assertThat(scheduler.queue()).startsWith(RabbitTopology.RESULT_QUEUE_PREFIX).isNotEqualTo(cli.queue());

    waiter.close();
    assertThat(waiter.awaitInFlight(PATIENCE)).isTrue();
    assertThat(mq.broker().exists(waiter.queue())).isFalse();
  }

  private Execution dispatch(WorkerId worker, Map<String, Object> parameters) {
    Execution execution = Fixtures.scheduledOn(worker, parameters);
    mq.transport().dispatcher().dispatch(execution, Fixtures.worker(worker));
    return execution;
  }

  private Subscription track(Subscription subscription) {
    subscriptions.add(subscription);
    return subscription;
  }
}
