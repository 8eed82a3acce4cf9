package io.attune.worker.bootstrap.roles;

import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.core.fleet.FleetView;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.port.out.Dispatcher;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.port.out.WorkerChanges;
import io.attune.worker.core.port.out.WorkerDirectory;
import io.attune.worker.core.service.ReconcileExecutionsService;
import io.attune.worker.core.service.ScheduleExecutionService;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The placing parts of a scheduler over its ports: decisions on a fleet view instead of the registry's candidate
 * query, and the sweep placing on a pool of its own. Composed apart from the connections, so a test can check the
 * wiring with in-memory ports.
 *
 * @param view the scheduler's copy of the fleet; also the directory of {@link #scheduling}
 * @param pool the sweep's threads, {@code sweepConcurrency} daemons; the role shuts it down
 */
record Placing(FleetView view, ScheduleExecutionService scheduling, ReconcileExecutionsService reconciliation,
    ExecutorService pool) {

  /** How many executions one sweep reads per rule; a longer queue is worked through over several sweeps. */
  static final int SWEEP_PAGE = 500;

  static Placing compose(WorkerChanges changes, WorkerDirectory registry, ExecutionStore executions,
      Dispatcher dispatcher, Clock clock, AttuneConfig config) {
    return compose(changes, registry, executions, dispatcher, clock, config, ExecutionObserver.NONE,
        ExecutionEvents.NONE);
  }

  static Placing compose(WorkerChanges changes, WorkerDirectory registry, ExecutionStore executions,
      Dispatcher dispatcher, Clock clock, AttuneConfig config, ExecutionObserver observer, ExecutionEvents events) {
    FleetView view = new FleetView(changes, registry, clock, config.fleetViewMaxStaleness(),
        FleetView.DEFAULT_FULL_RELOAD);
    ScheduleExecutionService scheduling = new ScheduleExecutionService(view, executions, dispatcher,
        PlacementPolicy.standard(), clock, observer, config.attemptLimits(), events);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(config.sweepConcurrency(),
        r -> DaemonThreads.named(r, "scheduler-place-" + threads.incrementAndGet()));
    ReconcileExecutionsService reconciliation = new ReconcileExecutionsService(executions, scheduling, clock,
        new ReconcileExecutionsService.Settings(config.schedulingTimeout(), config.dispatchTimeout(),
            config.attemptLimits(), SWEEP_PAGE, config.sweepConcurrency()), pool, observer, events);
    return new Placing(view, scheduling, reconciliation, pool);
  }
}
