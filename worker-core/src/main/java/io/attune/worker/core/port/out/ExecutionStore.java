package io.attune.worker.core.port.out;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.worker.WorkerId;

/**
 * Keeps executions and the capacity they hold on workers. Every change is a compare-and-set on the execution's
 * status and attempt, so that two schedulers never place one execution twice and a late result is refused.
 *
 * <p>The whole store, as an adapter implements it. Each use case takes only the part it needs: people's
 * {@link ExecutionRecords}, a worker's {@link WorkerRuns}, a scheduler's {@link Placements}, the sweep's
 * {@link SweptExecutions} (the {@link ExecutionQueue} and {@link AttemptRecovery}), and liveness's
 * {@link LostWorkerRecovery}.
 */
public interface ExecutionStore
    extends ExecutionRecords, WorkerRuns, Placements, SweptExecutions, LostWorkerRecovery {

  /** The answer to {@link #assign}. */
  sealed interface Assignment {
    /** The execution is placed and the slot reserved. */
    record Assigned(Execution execution) implements Assignment {
    }

    /** Someone else placed, cancelled or ended it first. */
    record NotWaiting(Execution execution) implements Assignment {
    }

    /**
     * The worker takes no more work: it has no free slot any more (another scheduler filled it), or it is no longer
     * active, is cordoned, or went stale since the decision.
     */
    record WorkerFull(WorkerId worker) implements Assignment {
    }
  }
}
