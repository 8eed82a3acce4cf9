package io.attune.worker.bootstrap.roles;

import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.core.embed.EmbeddedScheduler;
import io.attune.worker.core.fleet.FleetView;
import io.attune.worker.core.port.out.Dispatcher;
import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.port.out.WorkerChanges;
import io.attune.worker.core.port.out.WorkerDirectory;
import io.attune.worker.core.port.out.WorkerRegistry;
import io.attune.worker.core.service.ReconcileExecutionsService;
import java.time.Clock;
import java.time.Duration;

/**
 * The scheduler role's core loop over its ports, as the configuration sets it: decisions on a fleet view instead of
 * the registry's candidate query, sweeps of a page placing {@code ATTUNE_SWEEP_CONCURRENCY} at once, and the
 * liveness check every half heartbeat interval. Composed apart from the connections, so a test can check the wiring
 * with in-memory ports.
 */
final class Placing {

  /** How often waiting executions are tried again when no result announces free capacity. */
  static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);
  /** How many executions one sweep reads per rule; a longer queue is worked through over several sweeps. */
  static final int SWEEP_PAGE = 500;

  private Placing() {
  }

  /** The scheduler's loop, to be given its observer, events and listener and started. */
  static EmbeddedScheduler.Builder scheduler(WorkerRegistry registry, WorkerChanges changes,
      WorkerDirectory directory, ExecutionStore executions, Dispatcher dispatcher, Clock clock, AttuneConfig config) {
    return EmbeddedScheduler.builder(registry, directory, executions, dispatcher)
        .fleetView(new FleetView(changes, directory, clock, config.fleetViewMaxStaleness(),
            FleetView.DEFAULT_FULL_RELOAD))
        .clock(clock).settings(settings(config)).every(SWEEP_INTERVAL, livenessEvery(config));
  }

  /** The timeouts and limits of the sweep, its page and how many it places at once. */
  static ReconcileExecutionsService.Settings settings(AttuneConfig config) {
    return new ReconcileExecutionsService.Settings(config.schedulingTimeout(), config.dispatchTimeout(),
        config.attemptLimits(), SWEEP_PAGE, config.sweepConcurrency());
  }

  /** Half a heartbeat interval, at least half a second. */
  static Duration livenessEvery(AttuneConfig config) {
    return Duration.ofMillis(Math.max(500, config.heartbeatInterval().toMillis() / 2));
  }
}
