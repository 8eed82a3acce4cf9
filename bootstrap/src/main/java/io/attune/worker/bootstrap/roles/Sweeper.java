package io.attune.worker.bootstrap.roles;

import io.attune.worker.core.fleet.FleetView;
import io.attune.worker.core.port.in.ReconcileExecutionsUseCase.Sweep;
import io.attune.worker.core.port.in.RecoverLostExecutionsUseCase.Recovery;
import io.attune.worker.core.service.ReconcileExecutionsService;
import io.attune.worker.core.service.RecoverLostExecutionsService;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timed work: the core's sweep (places waiting executions, abandons those past the timeout, requeues lost
 * dispatches) and its liveness monitor, both on the role's one timer thread.
 */
final class Sweeper {

  /** The scheduler's logger: these are the scheduler's lines, and operators filter on its name. */
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerRole.class);

  private final FleetView view;
  private final ReconcileExecutionsService reconciliation;
  private final RecoverLostExecutionsService monitor;
  private final ScheduledExecutorService timers;
  private final AtomicBoolean fillRequested = new AtomicBoolean();
  /** Why placing was paused at the last pass (the timer thread's own); null when it was not. */
  private String pausedBecause;

  Sweeper(FleetView view, ReconcileExecutionsService reconciliation, RecoverLostExecutionsService monitor,
      ScheduledExecutorService timers) {
    this.view = view;
    this.reconciliation = reconciliation;
    this.monitor = monitor;
    this.timers = timers;
  }

  /**
   * Asks for a pass soon because a result announced free capacity: it places waiting executions of the runtimes
   * with free slots, about as many as there are slots, instead of reading a whole page of the queue again for each
   * result while a long queue waits for a few slots. Requests while one is pending make one pass.
   */
  void requestFill() {
    if (fillRequested.compareAndSet(false, true)) {
      timers.execute(this::fillSafely);
    }
  }

  /** The timer's pass: lost dispatches, and a page of waiting executions whatever their runtime. */
  void sweepSafely() {
    sweepAndLog(() -> {
      // the freed slots the view counts as taken until it catches up would otherwise wait for its next refresh
      view.refresh();
      return reconciliation.sweep();
    });
  }

  void fillSafely() {
    fillRequested.set(false);
    sweepAndLog(() -> {
      view.refresh();
      return reconciliation.fillFreeSlots(view.freeSlotsByRuntime());
    });
  }

  private void sweepAndLog(Supplier<Sweep> pass) {
    try {
      Sweep sweep = pass.get();
      logPause(sweep.pausedBecause());
      sweep.placements().forEach(PlacementLog::log);
      sweep.requeued().forEach(e -> LOG.warn("execution {} ({}): {}", e.id(), e.actionRef(),
          e.result().map(r -> r.message()).orElse("requeued")));
      sweep.abandoned().forEach(e -> LOG.warn("execution {} ({}) abandoned: {}", e.id(), e.actionRef(),
          e.result().map(r -> r.message()).orElse("")));
    } catch (RuntimeException failed) {
      LOG.warn("sweep of waiting executions failed: {}", failed.getMessage());
    }
  }

  /** Says once when placing pauses (the broker blocks this scheduler's publishing) and once when it resumes. */
  private void logPause(Optional<String> because) {
    String now = because.orElse(null);
    if (Objects.equals(now, pausedBecause)) {
      return;
    }
    if (now != null) {
      LOG.warn("placing paused: {}; nothing is placed, requeued or abandoned until it ends", now);
    } else {
      LOG.info("placing resumed");
    }
    pausedBecause = now;
  }

  void monitorSafely() {
    try {
      Recovery recovery = monitor.recover();
      recovery.markedInactive().forEach(w -> LOG.warn("worker {} stopped heartbeating: marked inactive",
          w.name()));
      recovery.requeued().forEach(e -> LOG.warn("execution {} ({}) requeued after attempt {} was lost", e.id(),
          e.actionRef(), e.attempt()));
      recovery.abandoned().forEach(e -> LOG.warn("execution {} ({}) abandoned: {}", e.id(), e.actionRef(),
          e.result().map(r -> r.message()).orElse("attempt " + e.attempt() + " was lost and none remains")));
      if (!recovery.requeued().isEmpty()) {
        timers.execute(this::sweepSafely);
      }
    } catch (RuntimeException failed) {
      LOG.warn("liveness check failed: {}", failed.getMessage());
    }
  }
}
