package io.attune.worker.core.port.out;

import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.Transition;
import java.time.Instant;

/**
 * Settles an attempt that was lost (its dispatch never arrived or never started, its worker went away, or it waited
 * too long for a worker): the execution is queued again or abandoned, its slot freed. A compare-and-set on the
 * attempt, so an attempt that moved on meanwhile is left alone.
 */
public interface AttemptRecovery {

  /**
   * The dispatch of the attempt was not delivered: frees the slot and requeues it, unless the attempt has started
   * meanwhile (then the dispatch did arrive, and it is refused), decided on the stored row in the same step.
   */
  Transition requeueUndelivered(ExecutionId id, int attempt, String reason, Instant now);

  /** Its worker was lost during the attempt: frees the slot and requeues it, or abandons it when none remain. */
  Transition recover(ExecutionId id, int attempt, boolean requeue, String reason, Instant now);
}
