package io.attune.worker.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.adapter.out.memory.InMemoryActionCatalog;
import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerCensus;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.in.MeasureFleetUseCase.Measurement;
import io.attune.worker.core.port.out.ActionRunner;
import io.attune.worker.core.port.out.Dispatcher;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore.Assignment;
import io.attune.worker.core.port.out.WorkerLease;
import io.attune.worker.core.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every service tells the {@link io.attune.worker.core.port.out.ExecutionObserver} what happened, once. */
class ExecutionObserverCallsTest {

  private static final ActionDefinition HELLO = ActionDefinition.simple("demo.hello", RuntimeName.SHELL, "hello.sh");

  private final MutableClock clock = MutableClock.atDefault();
  private final InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore(registry);
  private final RecordingObserver observer = new RecordingObserver();
  private final List<Execution> dispatched = new ArrayList<>();
  private final Dispatcher dispatcher = (execution, worker) -> dispatched.add(execution);

  private ScheduleExecutionService scheduling(Dispatcher through) {
    return new ScheduleExecutionService(registry, store, through, PlacementPolicy.standard(), clock, observer,
        AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE);
  }

  private Worker worker(String name, int slots, RuntimeName... runtimes) {
    Capabilities.Builder caps = Capabilities.builder().maxConcurrentExecutions(slots);
    for (RuntimeName runtime : runtimes) {
      caps.runtime(runtime);
    }
    return registry.register(new WorkerRegistration(name, WorkerType.LOCAL, "h", caps.build(),
        Duration.ofSeconds(30)), clock.instant());
  }

  private Execution submitted(String action, RuntimeName runtime) {
    return store.create(new ExecutionRequest(ActionRequirements.of(action, runtime), Map.of()), clock.instant());
  }

  @Test
  void each_decision_is_reported_with_its_outcome_and_the_codes_of_a_wait_or_an_unschedulable_verdict() {
    worker("sh", 1, RuntimeName.SHELL);
    ScheduleExecutionService scheduling = scheduling(dispatcher);

    scheduling.schedule(submitted("demo.a", RuntimeName.SHELL).id());
    scheduling.schedule(submitted("demo.b", RuntimeName.SHELL).id());
    Execution python = submitted("demo.py", RuntimeName.PYTHON);
    scheduling.schedule(python.id());

    assertThat(observer.decisions).containsExactly("selected []", "wait [at_capacity]",
        "unschedulable [runtime_missing]");
    assertThat(observer.decisionsStarted).isEqualTo(3);
    assertThat(observer.ended).as("the unschedulable verdict ends its execution")
        .containsExactly(python.id() + " python unschedulable");
    assertThat(observer.dispatchFailures).isEmpty();
  }

  @Test
  void a_failed_dispatch_is_reported_once_and_ends_nothing() {
    worker("sh", 1, RuntimeName.SHELL);
    Execution execution = submitted("demo.a", RuntimeName.SHELL);
    Dispatcher broken = (e, w) -> {
      throw new InfrastructureException("dispatch", "the broker is away");
    };

    assertThatThrownBy(() -> scheduling(broken).schedule(execution.id()))
        .isInstanceOf(InfrastructureException.class);

    assertThat(observer.dispatchFailures).singleElement().asString().startsWith(execution.id() + ": ")
        .contains("the broker is away");
    assertThat(observer.ended).isEmpty();
  }

  @Test
  void an_undelivered_dispatch_learnt_of_later_is_reported() {
    Worker w = worker("sh", 1, RuntimeName.SHELL);
    Execution placed = ((Assignment.Assigned) store.assign(submitted("demo.a", RuntimeName.SHELL).id(), w.id(),
        clock.instant())).execution();

    new UndeliveredDispatchService(store, clock, observer, AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS),
        ExecutionEvents.NONE).undelivered(placed, w, "not confirmed");

    assertThat(observer.dispatchFailures).containsExactly(placed.id() + ": not confirmed");
  }

  @Test
  void a_worker_reports_the_start_with_the_time_since_submission_and_each_outcome_it_records() {
    Worker w = worker("w", 4, RuntimeName.SHELL);
    Execution ok = submitted("demo.hello", RuntimeName.SHELL);
    Execution bad = submitted("demo.hello", RuntimeName.SHELL);
    clock.advance(Duration.ofSeconds(3));
    Execution okPlaced = ((Assignment.Assigned) store.assign(ok.id(), w.id(), clock.instant())).execution();
    Execution badPlaced = ((Assignment.Assigned) store.assign(bad.id(), w.id(), clock.instant())).execution();
    clock.advance(Duration.ofSeconds(2));
    ActionRunner runner = (id, action, parameters) -> new ActionRunner.Outcome(
        id.equals(ok.id()) ? ExecutionStatus.SUCCEEDED : ExecutionStatus.FAILED, ExecutionResult.message("done"));
    RunExecutionService service = new RunExecutionService(store, new InMemoryActionCatalog(List.of(HELLO)), runner,
        clock, 4, (wait, reason) -> {
          throw new AssertionError("no retry expected: " + reason);
        }, observer, ExecutionEvents.NONE, WorkerLease.ALWAYS);

    service.handleDispatch(okPlaced.id(), okPlaced.attempt(), w.id());
    service.run(badPlaced);

    assertThat(observer.started).containsExactly(ok.id() + " attempt 1 after PT5S", bad.id() + " attempt 1 after PT5S");
    assertThat(observer.ended).containsExactly(ok.id() + " shell succeeded", bad.id() + " shell failed");
  }

  @Test
  void an_outcome_the_store_refuses_is_not_reported_as_ended_here() {
    Worker w = worker("w", 4, RuntimeName.SHELL);
    Execution placed = ((Assignment.Assigned) store.assign(submitted("demo.hello", RuntimeName.SHELL).id(), w.id(),
        clock.instant())).execution();
    Worker other = worker("other", 1, RuntimeName.SHELL);
    ActionRunner requeuedMeanwhile = (id, action, parameters) -> {
      // judged lost meanwhile: requeued, and a later attempt started elsewhere
      store.recover(id, 1, true, "its worker was judged lost", clock.instant());
      store.assign(id, other.id(), clock.instant());
      store.start(id, 2, other.id(), clock.instant());
      return new ActionRunner.Outcome(ExecutionStatus.SUCCEEDED, ExecutionResult.message("done"));
    };

    new RunExecutionService(store, new InMemoryActionCatalog(List.of(HELLO)), requeuedMeanwhile, clock, 1,
        (wait, reason) -> {
          throw new AssertionError(reason);
        }, observer, ExecutionEvents.NONE, WorkerLease.ALWAYS).run(placed);

    assertThat(observer.started).hasSize(1);
    assertThat(observer.ended).as("a later attempt took the execution over: this worker ended nothing").isEmpty();
  }

  @Test
  void the_fleet_measure_reports_waiting_per_runtime_and_workers_and_falls_back_to_zero_not_to_nothing() {
    Worker w = worker("py", 1, RuntimeName.SHELL, RuntimeName.PYTHON);
    Execution first = submitted("demo.py", RuntimeName.PYTHON);
    submitted("demo.py", RuntimeName.PYTHON);
    submitted("demo.ml", RuntimeName.of("ml"));
    MeasureFleetService measure = new MeasureFleetService(store, registry, observer);

    Measurement before = measure.measure();
    store.assign(first.id(), w.id(), clock.instant());
    store.requestCancel(store.waiting().get(0).id(), "gone", clock.instant());
    store.requestCancel(store.waiting().get(0).id(), "gone", clock.instant());
    registry.markDraining(w.id());
    Measurement after = measure.measure();

    assertThat(before.waitingByRuntime()).isEqualTo(Map.of(RuntimeName.PYTHON, 2L, RuntimeName.of("ml"), 1L));
    assertThat(after.waitingByRuntime()).isEqualTo(Map.of(RuntimeName.PYTHON, 0L, RuntimeName.of("ml"), 0L));
    assertThat(before.workers().count(WorkerStatus.ACTIVE, RuntimeName.PYTHON)).isEqualTo(1);
    assertThat(after.workers().counts()).isEqualTo(Map.of(
        new WorkerCensus.Group(WorkerStatus.ACTIVE, RuntimeName.SHELL), 0L,
        new WorkerCensus.Group(WorkerStatus.ACTIVE, RuntimeName.PYTHON), 0L,
        new WorkerCensus.Group(WorkerStatus.DRAINING, RuntimeName.SHELL), 1L,
        new WorkerCensus.Group(WorkerStatus.DRAINING, RuntimeName.PYTHON), 1L));
    assertThat(observer.waiting).containsExactly(before.waitingByRuntime(), after.waitingByRuntime());
    assertThat(observer.censuses).containsExactly(before.workers(), after.workers());
  }

  @Test
  void services_built_without_an_observer_run_as_before() {
    worker("sh", 1, RuntimeName.SHELL);
    Execution execution = submitted("demo.a", RuntimeName.SHELL);

    new ScheduleExecutionService(registry, store, dispatcher, PlacementPolicy.standard(), clock,
        ExecutionObserver.NONE, AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE)
        .schedule(execution.id());

    assertThat(dispatched).extracting(Execution::id).containsExactly(execution.id());
    assertThat(observer.decisions).isEmpty();
    assertThat(observer.ended).isEmpty();
  }
}
