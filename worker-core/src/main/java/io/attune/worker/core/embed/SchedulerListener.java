package io.attune.worker.core.embed;

import io.attune.worker.core.port.in.ReconcileExecutionsUseCase.Sweep;
import io.attune.worker.core.port.in.RecoverLostExecutionsUseCase.Recovery;

/**
 * Told what an embedded scheduler's passes did, e.g. to log them or to follow placements. Each method runs on the
 * scheduler's timer thread and does nothing by default.
 */
public interface SchedulerListener {

  /** Told nothing. */
  SchedulerListener NONE = new SchedulerListener() { };

  /** A sweep (or a fill of free slots) placed, requeued or abandoned these, or was paused. */
  default void swept(Sweep sweep) {
  }

  /** A liveness check marked these workers inactive and handed on what they held. */
  default void recovered(Recovery recovery) {
  }

  /** A pass failed; the next one tries again. */
  default void trouble(String what) {
  }
}
