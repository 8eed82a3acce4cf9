package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.Fixtures.NOW;
import static io.attune.worker.adapter.postgres.Fixtures.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.adapter.out.memory.InProcessDispatcher;
import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.service.ScheduleExecutionService;
import io.attune.worker.core.testkit.MutableClock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code prefer_previous_worker} on PostgreSQL: the scheduler asks the store for the worker of the action's last
 * succeeded execution and places the next execution there, though another worker is idle.
 */
class PreviousWorkerSchedulingIT {

  @RegisterExtension
  static final MigratedDatabase db = new MigratedDatabase("previous_worker");

  private static final ActionRequirements STICKY = ActionRequirements.of("demo.warm", RuntimeName.SHELL)
      .withPreferPreviousWorker(100);
  private static final ActionRequirements PLAIN = ActionRequirements.of("demo.plain", RuntimeName.SHELL);

  private final MutableClock clock = new MutableClock(NOW);

  @Test
  void a_second_execution_goes_to_the_worker_that_ran_the_first_while_another_worker_is_idle() {
    ScheduleExecutionService scheduler = schedulerOverTwoWorkers(2);
    ExecutionStore store = db.adapter().executions();
    Worker a = db.adapter().directory().byName("a").orElseThrow();
    Worker b = db.adapter().directory().byName("b").orElseThrow();

    Worker first = dispatched(scheduler.schedule(store.create(new ExecutionRequest(STICKY, Map.of()), NOW)));
    Worker other = first.id().equals(a.id()) ? b : a;
    succeed(store, first);
    assertThat(store.lastSucceededOn(STICKY.actionRef())).contains(first.id());
    // the first worker is now busier than the other: without the preference the other one would be chosen
    assertThat(store.assign(store.create(new ExecutionRequest(PLAIN, Map.of()), NOW).id(), first.id(), NOW))
        .isInstanceOf(ExecutionStore.Assignment.Assigned.class);
    assertThat(db.adapter().directory().byId(first.id()).orElseThrow().running()).isEqualTo(1);
    assertThat(db.adapter().directory().byId(other.id()).orElseThrow().running()).isZero();

    Worker second = dispatched(scheduler.schedule(store.create(new ExecutionRequest(STICKY, Map.of()), NOW)));
    Worker control = dispatched(scheduler.schedule(store.create(new ExecutionRequest(PLAIN, Map.of()), NOW)));

    assertThat(second.name()).isEqualTo(first.name());
    assertThat(control.name()).isEqualTo(other.name());
  }

  @Test
  void a_full_previous_worker_does_not_hold_the_execution_back() {
    ScheduleExecutionService scheduler = schedulerOverTwoWorkers(1);
    ExecutionStore store = db.adapter().executions();
    Worker first = dispatched(scheduler.schedule(store.create(new ExecutionRequest(STICKY, Map.of()), NOW)));
    succeed(store, first);
    Worker filled = dispatched(scheduler.schedule(store.create(new ExecutionRequest(STICKY, Map.of()), NOW)));
    assertThat(filled.id()).isEqualTo(first.id());

    Worker next = dispatched(scheduler.schedule(store.create(new ExecutionRequest(STICKY, Map.of()), NOW)));

    assertThat(next.id()).isNotEqualTo(first.id());
  }

  /** An empty database with two shell workers, a and b, of so many slots each, and a scheduler over them. */
  private ScheduleExecutionService schedulerOverTwoWorkers(int slots) {
    db.truncate();
    InProcessDispatcher dispatcher = new InProcessDispatcher();
    for (String name : new String[] {"a", "b"}) {
      Worker worker = db.adapter().registry().register(worker(name, slots, "shell"), NOW);
      dispatcher.subscribe(worker.id(), execution -> { });
    }
    return new ScheduleExecutionService(db.adapter().directory(), db.adapter().executions(), dispatcher,
        PlacementPolicy.standard(), clock, ExecutionObserver.NONE,
            AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE);
  }

  private static Worker dispatched(Scheduling scheduling) {
    assertThat(scheduling).isInstanceOf(Scheduling.Dispatched.class);
    return ((Scheduling.Dispatched) scheduling).worker();
  }

  /** Runs to success the execution the worker holds. */
  private static void succeed(ExecutionStore store, Worker worker) {
    Execution held = store.heldBy(worker.id()).get(0);
    store.start(held.id(), held.attempt(), worker.id(), NOW.plusSeconds(1));
    assertThat(store.finish(held.id(), held.attempt(), ExecutionStatus.SUCCEEDED, ExecutionResult.message("ok"),
        NOW.plusSeconds(2)).applied()).isTrue();
    assertThat(store.find(held.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }
}
