package io.attune.worker.core.port.out;

import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.worker.WorkerId;
import java.time.Instant;
import java.util.Optional;

/**
 * What a scheduler changes when it places an execution: the placement with its slot's reservation, the verdict that
 * no worker can run it, and, when the dispatch fails, the requeue or abandonment of the attempt.
 */
public interface Placements extends ExecutionLookup, AttemptRecovery {

  /**
   * Places a requested execution on a worker and reserves one slot of the worker's capacity, atomically: refused
   * when the execution is no longer requested, or when the worker takes no more work at {@code now}: it is full,
   * not active (draining, inactive or in error), cordoned, or its heartbeat is stale. A scheduler that decided on
   * data a little behind therefore never over-commits a worker nor places work on one that has just stopped taking
   * it.
   *
   * <p>The answer's type is declared in {@link ExecutionStore}, where stores and tests import it.
   */
  ExecutionStore.Assignment assign(ExecutionId id, WorkerId worker, Instant now);

  /** No worker could run it; the result holds the explanation. */
  Transition markUnschedulable(ExecutionId id, ExecutionResult explanation, Instant now);

  /**
   * The worker of the most recent succeeded execution of the action (latest end, then highest id), for actions that
   * prefer the worker that ran them before; empty when none succeeded yet. Failed, timed-out and cancelled runs do
   * not count: a worker whose run failed is no warmer than another.
   */
  Optional<WorkerId> lastSucceededOn(ActionRef action);

  /** The worker the action prefers, if it asks for its previous worker: the store is read only for such actions. */
  default Optional<WorkerId> previousWorkerFor(ActionRequirements action) {
    return action.prefersPreviousWorker() ? lastSucceededOn(action.actionRef()) : Optional.empty();
  }
}
