package io.attune.worker.bootstrap.roles;

import io.attune.worker.core.embed.SchedulerListener;
import io.attune.worker.core.port.in.ReconcileExecutionsUseCase.Sweep;
import io.attune.worker.core.port.in.RecoverLostExecutionsUseCase.Recovery;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler role's ear on its core loop: a line for each placement, requeue and abandonment of a sweep, each
 * worker the liveness check found silent and what it handed on, and once when placing pauses and resumes.
 */
final class SweepLog implements SchedulerListener {

  /** The scheduler's logger: these are the scheduler's lines, and operators filter on its name. */
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerRole.class);

  /** Why placing was paused at the last pass (the timer thread's own); null when it was not. */
  private String pausedBecause;

  @Override
  public void swept(Sweep sweep) {
    logPause(sweep.pausedBecause());
    sweep.placements().forEach(PlacementLog::log);
    sweep.requeued().forEach(e -> LOG.warn("execution {} ({}): {}", e.id(), e.actionRef(),
        e.result().map(r -> r.message()).orElse("requeued")));
    sweep.abandoned().forEach(e -> LOG.warn("execution {} ({}) abandoned: {}", e.id(), e.actionRef(),
        e.result().map(r -> r.message()).orElse("")));
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

  @Override
  public void recovered(Recovery recovery) {
    recovery.markedInactive().forEach(w -> LOG.warn("worker {} stopped heartbeating: marked inactive", w.name()));
    recovery.requeued().forEach(e -> LOG.warn("execution {} ({}) requeued after attempt {} was lost", e.id(),
        e.actionRef(), e.attempt()));
    recovery.abandoned().forEach(e -> LOG.warn("execution {} ({}) abandoned: {}", e.id(), e.actionRef(),
        e.result().map(r -> r.message()).orElse("attempt " + e.attempt() + " was lost and none remains")));
  }

  @Override
  public void trouble(String what) {
    LOG.warn("{}", what);
  }
}
