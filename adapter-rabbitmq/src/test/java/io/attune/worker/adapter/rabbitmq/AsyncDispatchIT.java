package io.attune.worker.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.retry.Backoff;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.port.out.Dispatcher;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore.Assignment;
import io.attune.worker.core.service.ScheduleExecutionService;
import io.attune.worker.core.service.UndeliveredDispatchService;
import io.attune.worker.core.testkit.MutableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dispatch with confirms collected after it returned, against a real RabbitMQ: a dispatch the broker does not
 * deliver is requeued (its slot given back) through the core's undelivered-dispatch use case, never lost silently.
 */
class AsyncDispatchIT {

  @RegisterExtension
  final ConnectedAdapter mq = new ConnectedAdapter();
  private final MutableClock clock = MutableClock.atDefault();
  private final InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore(registry);
  private final Worker worker = registry.register(new WorkerRegistration("async-" + TestBroker.uniqueWorker().value(),
      WorkerType.LOCAL, "host", Capabilities.builder().runtime(RuntimeName.SHELL).maxConcurrentExecutions(4).build(),
      Duration.ofSeconds(30)), clock.instant());

  private Dispatcher dispatcher() {
    return mq.adapter().dispatcher(new UndeliveredDispatchService(store, clock, ExecutionObserver.NONE,
        AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE));
  }

  private Execution placed() {
    Execution created = store.create(new ExecutionRequest(ActionRequirements.of("core.echo", RuntimeName.SHELL),
        Map.of()), clock.instant());
    return ((Assignment.Assigned) store.assign(created.id(), worker.id(), clock.instant())).execution();
  }

  private Execution stored(Execution execution) {
    return store.find(execution.id()).orElseThrow();
  }

  private int running() {
    return registry.byId(worker.id()).orElseThrow().running();
  }

  /** The worker's queue, declared full and rejecting publishes: the broker nacks every dispatch to it. */
  private String declareRejectingQueue() {
    String queue = RabbitTopology.workerQueue(worker.id());
    mq.broker().withChannel(channel -> {
      channel.queueDeclare(queue, false, false, true, Map.of("x-max-length", 0, "x-overflow", "reject-publish"));
      return channel.queueBind(queue, RabbitTopology.EXECUTIONS_EXCHANGE,
          RabbitTopology.dispatchRoutingKey(worker.id()));
    });
    return queue;
  }

  @Test
  void a_dispatch_the_broker_refuses_is_requeued_and_gives_its_slot_back() {
    String queue = declareRejectingQueue();
    try {
      Execution execution = placed();

      dispatcher().dispatch(execution, worker);

      await().atMost(Duration.ofSeconds(20)).until(() -> stored(execution).status() == ExecutionStatus.REQUESTED);
      assertThat(stored(execution).result().orElseThrow().message()).contains("dispatch to " + worker.name())
          .contains("negative confirm");
      assertThat(running()).isZero();
    } finally {
      mq.broker().withChannel(channel -> channel.queueDelete(queue));
    }
  }

  @Test
  void an_unroutable_dispatch_is_requeued_and_gives_its_slot_back() {
    Execution execution = placed();

    dispatcher().dispatch(execution, worker);

    await().atMost(Duration.ofSeconds(20)).until(() -> stored(execution).status() == ExecutionStatus.REQUESTED);
    assertThat(stored(execution).result().orElseThrow().message()).contains("unroutable");
    assertThat(running()).isZero();
  }

  @Test
  void an_unroutable_dispatch_is_placed_again_once_its_redelivery_pace_passed_and_reaches_the_queue_then() {
    // the broker restarted and the worker has not declared its queue again yet: its dispatches come back
    Dispatcher dispatcher = dispatcher();
    ScheduleExecutionService scheduling = new ScheduleExecutionService(registry, store, dispatcher,
        PlacementPolicy.standard(), clock, ExecutionObserver.NONE, AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS),
        ExecutionEvents.NONE);
    Execution execution = store.create(new ExecutionRequest(ActionRequirements.of("core.echo", RuntimeName.SHELL),
        Map.of()), clock.instant());
    assertThat(scheduling.schedule(execution.id())).isInstanceOf(Scheduling.Dispatched.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> stored(execution).status() == ExecutionStatus.REQUESTED);

    assertThat(scheduling.schedule(execution.id())).as("not while its pace runs")
        .isInstanceOf(Scheduling.Skipped.class);
    assertThat(stored(execution).redeliveries()).isEqualTo(1);

    mq.adapter().workerQueues().declare(worker.id());
    try {
      clock.advance(Backoff.REDELIVERIES.first());
      assertThat(scheduling.schedule(execution.id())).isInstanceOf(Scheduling.Dispatched.class);
      await().atMost(Duration.ofSeconds(20)).until(() -> mq.broker().ready(RabbitTopology.workerQueue(worker.id()))
          == 1);
      assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.SCHEDULED);
      assertThat(stored(execution).attempt()).isEqualTo(2);
    } finally {
      mq.adapter().workerQueues().delete(worker.id());
    }
  }

  @Test
  void a_delivered_dispatch_stays_placed_and_reaches_the_queue() {
    mq.adapter().workerQueues().declare(worker.id());
    try {
      Execution delivered = placed();
      Dispatcher dispatcher = dispatcher();
      dispatcher.dispatch(delivered, worker);
      await().atMost(Duration.ofSeconds(20)).until(() -> mq.broker().ready(RabbitTopology.workerQueue(worker.id()))
          == 1);
      // confirms come in publishing order: once a later, unroutable dispatch is requeued, the first was confirmed
      mq.adapter().workerQueues().delete(worker.id());
      Execution marker = placed();
      dispatcher.dispatch(marker, worker);
      await().atMost(Duration.ofSeconds(20)).until(() -> stored(marker).status() == ExecutionStatus.REQUESTED);

      assertThat(stored(delivered)).isEqualTo(delivered);
      assertThat(running()).isEqualTo(1);
    } finally {
      mq.adapter().workerQueues().delete(worker.id());
    }
  }
}
