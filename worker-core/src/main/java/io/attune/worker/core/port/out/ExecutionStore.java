package io.attune.worker.core.port.out;

import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionQuery;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.placement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.WorkerId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps executions and the capacity they hold on workers. Every change is a compare-and-set on the execution's
 * status and attempt, so that two schedulers never place one execution twice and a late result is refused.
 */
public interface ExecutionStore {

  Execution create(ExecutionRequest request, Instant now);

  Optional<Execution> find(ExecutionId id);

  /**
   * Places a requested execution on a worker and reserves one slot of the worker's capacity, atomically: refused
   * when the execution is no longer requested, or when the worker takes no more work at {@code now}: it is full,
   * not active (draining, inactive or in error), cordoned, or its heartbeat is stale. A scheduler that decided on data a little
   * behind therefore never over-commits a worker nor places work on one that has just stopped taking it.
   */
  Assignment assign(ExecutionId id, WorkerId worker, Instant now);

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

  /** No worker could run it; the result holds the explanation. */
  Transition markUnschedulable(ExecutionId id, ExecutionResult explanation, Instant now);

  /**
   * The dispatch of the attempt was not delivered: frees the slot and requeues it, unless the attempt has started
   * meanwhile (then the dispatch did arrive, and it is refused), decided on the stored row in the same step.
   */
  Transition requeueUndelivered(ExecutionId id, int attempt, String reason, Instant now);

  /** Its worker was lost during the attempt: frees the slot and requeues it, or abandons it when none remain. */
  Transition recover(ExecutionId id, int attempt, boolean requeue, String reason, Instant now);

  /**
   * Like {@link #recover}, but only while the worker holding the attempt is still lost at {@code now} (inactive, stale
   * or gone), checked in the same step as the change: an execution that a worker which came back has meanwhile
   * started or finished is left alone.
   */
  Transition recoverFromLostWorker(ExecutionId id, int attempt, boolean requeue, String reason, Instant now);

  /** Cancels an execution that has not ended, freeing its slot if it held one. */
  Transition cancel(ExecutionId id, String reason, Instant now);

  /**
   * An operator's cancel, decided by {@link Execution#requestCancel} on the stored execution in one step: one that
   * no process runs for is cancelled (its slot freed), a running one keeps running with the request recorded, for its
   * worker to end. Every later change of the execution is decided with the request in view, so no change decided
   * without it (a requeue, say) can overwrite it.
   *
   * @throws IllegalArgumentException when there is no such execution
   */
  Transition requestCancel(ExecutionId id, String reason, Instant now);

  /** The executions the query asks for, newest (highest id) first. */
  List<Execution> list(ExecutionQuery query);

  /** Executions a worker holds (scheduled or running). */
  List<Execution> heldBy(WorkerId worker);

  /** Executions held by workers that are inactive or whose heartbeat is stale at {@code now}. */
  List<Execution> heldByLostWorkers(Instant now);

  /** Executions waiting to be placed, oldest submission first. */
  default List<Execution> waiting() {
    return waiting(Integer.MAX_VALUE);
  }

  /** At most {@code limit} executions waiting to be placed, oldest submission first. */
  List<Execution> waiting(int limit);

  /**
   * At most {@code limit} executions waiting to be placed whose action runs on one of {@code runtimes}, oldest
   * submission first: what free slots of those runtimes could take.
   */
  List<Execution> waitingFor(Set<RuntimeName> runtimes, int limit);

  /**
   * How many executions wait to be placed (status {@code requested}), per runtime of their action; a runtime with
   * none waiting is absent. The queue depth autoscaling reads. This default reads every waiting execution; a store
   * should count where the executions are.
   */
  default Map<RuntimeName, Long> waitingByRuntime() {
    return Map.copyOf(waiting().stream().collect(Collectors.groupingBy(e -> e.requirements().runtime(),
        Collectors.counting())));
  }

  /**
   * At most {@code limit} executions that have been scheduled since {@code cutoff} or earlier without starting, longest
   * first: their dispatch was probably lost (a scheduler died between placing and publishing).
   */
  List<Execution> scheduledBefore(Instant cutoff, int limit);

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
