package io.attune.worker.core.service;

import io.attune.worker.core.adapter.out.memory.InMemoryActionCatalog;
import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
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
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.out.ActionRunner;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore.Assignment;
import io.attune.worker.core.port.out.RetryPause;
import io.attune.worker.core.port.out.WorkerLease;
import io.attune.worker.core.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every way an execution ends, each driven through the use case that records it, on an in-memory system of its own
 * whose services tell the given observer and events. Each drive ends a new execution (ids are not reused). Public in the core's test jar, so that an adapter's test can check
 * what its implementation of {@link ExecutionEvents} makes of each end.
 */
public final class EndScenarios {

  /** The ends, by the use case that records each. */
  public enum End {
    SUCCEEDED(ExecutionStatus.SUCCEEDED),
    FAILED(ExecutionStatus.FAILED),
    TIMED_OUT(ExecutionStatus.TIMED_OUT),
    CANCELLED_WHILE_RUNNING(ExecutionStatus.CANCELLED),
    CANCELLED_BEFORE_IT_RAN(ExecutionStatus.CANCELLED),
    UNSCHEDULABLE(ExecutionStatus.UNSCHEDULABLE),
    ABANDONED_AFTER_THE_SCHEDULING_TIMEOUT(ExecutionStatus.ABANDONED),
    ABANDONED_WHEN_ITS_WORKER_WAS_LOST(ExecutionStatus.ABANDONED),
    ABANDONED_WHEN_ITS_DISPATCH_FAILED(ExecutionStatus.ABANDONED);

    private final ExecutionStatus status;

    End(ExecutionStatus status) {
      this.status = status;
    }

    /** The status the execution ends with. */
    public ExecutionStatus status() {
      return status;
    }
  }

  private static final ActionDefinition HELLO = ActionDefinition.simple("demo.hello", RuntimeName.SHELL, "hello.sh");
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final MutableClock clock = MutableClock.atDefault();
  private final InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore(registry);
  private final ExecutionObserver observer;
  private final ExecutionEvents events;

  private int workers;

  public EndScenarios(ExecutionObserver observer, ExecutionEvents events) {
    this.observer = observer;
    this.events = events;
  }

  /** Ends one new execution as {@code end} says and returns it as it was before it ended. */
  public Execution drive(End end) {
    return switch (end) {
      case SUCCEEDED, FAILED, TIMED_OUT, CANCELLED_WHILE_RUNNING -> ranTo(end.status());
      case CANCELLED_BEFORE_IT_RAN -> cancelledBeforeItRan();
      case UNSCHEDULABLE -> unschedulable();
      case ABANDONED_AFTER_THE_SCHEDULING_TIMEOUT -> abandonedWaiting();
      case ABANDONED_WHEN_ITS_WORKER_WAS_LOST -> abandonedWithItsWorker();
      case ABANDONED_WHEN_ITS_DISPATCH_FAILED -> abandonedUndelivered();
    };
  }

  private Execution ranTo(ExecutionStatus outcome) {
    Execution placed = placed(submitted(RuntimeName.SHELL), worker(RuntimeName.SHELL));
    ActionRunner runner = (id, action, parameters) -> new ActionRunner.Outcome(outcome,
        ExecutionResult.message("ended " + outcome.wireName()));
    new RunExecutionService(store, new InMemoryActionCatalog(List.of(HELLO)), runner, clock, 1, RetryPause.SLEEP,
        observer, events, WorkerLease.ALWAYS).run(placed);
    return placed;
  }

  private Execution cancelledBeforeItRan() {
    Execution waiting = submitted(RuntimeName.SHELL);
    new CancelExecutionService(store, execution -> {
      throw new AssertionError("nothing runs, so nothing is to be stopped");
    }, clock, observer, events).cancel(waiting.id());
    return waiting;
  }

  private Execution unschedulable() {
    worker(RuntimeName.SHELL);
    Execution python = submitted(RuntimeName.PYTHON);
    scheduling().schedule(python.id());
    return python;
  }

  private Execution abandonedWaiting() {
    Execution waiting = submitted(RuntimeName.SHELL); // no worker at all
    clock.advance(TIMEOUT);
    new ReconcileExecutionsService(store, scheduling(), clock, new ReconcileExecutionsService.Settings(TIMEOUT,
        Duration.ofSeconds(60), 2, 500), Runnable::run, observer, events).sweep();
    return waiting;
  }

  private Execution abandonedWithItsWorker() {
    Worker lost = worker(RuntimeName.SHELL);
    Execution placed = placed(submitted(RuntimeName.SHELL), lost);
    Execution running = store.start(placed.id(), placed.attempt(), lost.id(), clock.instant()).execution();
    clock.advance(lost.staleAfter().plusSeconds(1));
    new RecoverLostExecutionsService(registry, registry, store, clock, AttemptLimits.ofRuns(1), observer, events)
        .recover();
    return running;
  }

  private Execution abandonedUndelivered() {
    Worker w = worker(RuntimeName.SHELL);
    Execution placed = placed(submitted(RuntimeName.SHELL), w);
    new UndeliveredDispatchService(store, clock, observer, new AttemptLimits(1, 0), events)
        .undelivered(placed, w, "not confirmed");
    return placed;
  }

  private ScheduleExecutionService scheduling() {
    return new ScheduleExecutionService(registry, store, (execution, worker) -> { }, PlacementPolicy.standard(),
        clock, observer, AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), events);
  }

  private Worker worker(RuntimeName runtime) {
    return registry.register(new WorkerRegistration("w" + ++workers, WorkerType.LOCAL, "h",
        Capabilities.builder().maxConcurrentExecutions(1).runtime(runtime).build(), Duration.ofSeconds(30)),
        clock.instant());
  }

  private Execution submitted(RuntimeName runtime) {
    return store.create(new ExecutionRequest(ActionRequirements.of("demo.hello", runtime), Map.of()),
        clock.instant());
  }

  private Execution placed(Execution execution, Worker worker) {
    return ((Assignment.Assigned) store.assign(execution.id(), worker.id(), clock.instant())).execution();
  }
}
