package io.attune.worker.core.port.out;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.worker.WorkerId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A worker's records of its runs: it starts the attempts placed on it, reports their ends, and reads what it holds.
 * Each change is a compare-and-set on the execution's status and attempt, so a start or an end for an attempt that
 * was recovered elsewhere is refused.
 */
public interface WorkerRuns extends ExecutionLookup {

  /**
   * The worker of the given attempt started it; refused when {@code worker} is not the worker the attempt was placed
   * on (see {@link Execution#start}).
   */
  Transition start(ExecutionId id, int attempt, WorkerId worker, Instant now);

  /**
   * A worker's first step on a dispatch, reading the execution once: {@link #start} of the given attempt by
   * {@code worker}, answered with the execution as it is afterwards, parameters included. When the attempt cannot
   * start (it runs already, was requeued, ended, is not the current one, or was placed on another worker) the refusal
   * carries the execution as stored; empty when there is no such execution.
   */
  default Optional<Transition> startDispatched(ExecutionId id, int attempt, WorkerId worker, Instant now) {
    return find(id).map(found -> start(id, attempt, worker, now));
  }

  /** The worker of the given attempt reports its end; frees the worker's slot. */
  Transition finish(ExecutionId id, int attempt, ExecutionStatus outcome, ExecutionResult result, Instant now);

  /**
   * Like {@link #finish(ExecutionId, int, ExecutionStatus, ExecutionResult, Instant)} for the attempt of
   * {@code held}, a copy the caller has (e.g. as {@link #startDispatched} returned it), with the same answer. A store
   * may decide the change on the copy without reading the row, writing it only while the stored execution still has
   * the copy's status and attempt, and deciding again on the stored row otherwise.
   */
  default Transition finish(Execution held, ExecutionStatus outcome, ExecutionResult result, Instant now) {
    return finish(held.id(), held.attempt(), outcome, result, now);
  }

  /** Executions a worker holds (scheduled or running). */
  List<Execution> heldBy(WorkerId worker);
}
