package io.attune.worker.core.service;

import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.port.out.ExecutionObserver;
import java.util.List;

/**
 * The one rule for an attempt that was lost (its worker went silent or restarted, or its dispatch never started):
 * the store's change, made as {@link AttemptLimits#afterLoss} decided, either queued the execution again or
 * abandoned it. A requeue that cost no run is a redelivery; an abandonment is an end, made known once.
 */
final class LostAttempts {

  private final ExecutionObserver observer;
  private final Ends ends;

  LostAttempts(ExecutionObserver observer, Ends ends) {
    this.observer = observer;
    this.ends = ends;
  }

  /**
   * Sorts the store's answer into {@code requeued} or {@code abandoned} and makes it known; a refused change (the
   * attempt moved on meanwhile) is neither.
   */
  void settled(Transition change, AttemptLimits.Verdict verdict, List<Execution> requeued,
      List<Execution> abandoned) {
    if (!change.applied()) {
      return;
    }
    Execution execution = change.execution();
    if (execution.status() == ExecutionStatus.REQUESTED) {
      if (!verdict.ran()) {
        observer.executionRedelivered(execution);
      }
      requeued.add(execution);
      return;
    }
    abandoned.add(execution);
    ends.ifEnded(change);
  }
}
