package io.attune.worker.core.service;

import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.RedeliveryPace;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.placement.PlacementDecision;
import io.attune.worker.core.model.placement.PlacementExplanations;
import io.attune.worker.core.model.placement.PlacementOutcome;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.placement.PlacementReport;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase;
import io.attune.worker.core.port.out.Dispatcher;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.port.out.Placements;
import io.attune.worker.core.port.out.WorkerCandidates;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Places a requested execution: decides on the directory's candidates (live registry data, or a scheduler's
 * {@link io.attune.worker.core.fleet.FleetView} of it), reserves the worker's capacity with a compare-and-set, and
 * dispatches. When another scheduler filled the chosen worker first, it decides again. Thread-safe when its ports
 * are: the sweep places several executions at once through one instance.
 */
public final class ScheduleExecutionService implements ScheduleExecutionUseCase {

  /** How often one call decides again after losing a race for a worker's last slot. */
  static final int MAX_RACES = 3;

  private final WorkerCandidates directory;
  private final Placements executions;
  private final Dispatcher dispatcher;
  private final PlacementPolicy policy;
  private final Clock clock;
  private final ExecutionObserver observer;
  private final Ends ends;
  /** What a dispatch that fails at once does, as one the broker refuses later does. */
  private final UndeliveredDispatchService undelivered;
  private final RedeliveryPace redeliveries = RedeliveryPace.DEFAULT;
  /** The executions this scheduler is placing right now. */
  private final Set<ExecutionId> placing = ConcurrentHashMap.newKeySet();

  /**
   * @param limits the redelivery bound of a dispatch that fails at once
   * @param events told of every execution found unschedulable or abandoned after its dispatch failed
   */
  public ScheduleExecutionService(WorkerCandidates directory, Placements executions, Dispatcher dispatcher,
      PlacementPolicy policy, Clock clock, ExecutionObserver observer, AttemptLimits limits, ExecutionEvents events) {
    this.directory = directory;
    this.executions = executions;
    this.dispatcher = dispatcher;
    this.policy = policy;
    this.clock = clock;
    this.observer = Objects.requireNonNull(observer, "observer");
    this.ends = new Ends(observer, events);
    this.undelivered = new UndeliveredDispatchService(executions, clock, observer, limits, events);
  }

  @Override
  public Scheduling schedule(ExecutionId id) {
    if (placing.contains(id)) {
      return beingPlaced(id);
    }
    Optional<Execution> found = executions.find(id);
    if (found.isEmpty()) {
      return new Scheduling.Skipped(id, "no execution " + id);
    }
    return schedule(found.get());
  }

  /**
   * Places the execution as read by the caller: no read of its row. If it was placed, cancelled or ended since,
   * {@link Placements#assign} refuses (not waiting) and it is skipped, as if it had been read again.
   */
  @Override
  public Scheduling schedule(Execution waiting) {
    ExecutionId id = waiting.id();
    if (!placing.add(id)) {
      return beingPlaced(id);
    }
    try {
      return place(waiting);
    } finally {
      placing.remove(id);
    }
  }

  /**
   * The same execution reaches a scheduler twice at once, by its request and by the sweep of waiting executions: the
   * second leaves it to the first instead of racing it for the same compare-and-set.
   */
  private static Scheduling beingPlaced(ExecutionId id) {
    return new Scheduling.Skipped(id, "execution " + id + " is being placed by this scheduler");
  }

  @Override
  public Optional<String> paused() {
    return dispatcher.blocked();
  }

  private Scheduling place(Execution waiting) {
    Execution execution = waiting;
    ExecutionId id = waiting.id();
    Optional<String> paused = paused();
    if (paused.isPresent()) {
      // the slot would be reserved for a dispatch the transport only holds: leave the execution waiting instead
      return new Scheduling.Skipped(id, "placing is paused: " + paused.get());
    }
    Optional<Instant> redeliverable = redeliveries.notBefore(execution);
    if (redeliverable.isPresent() && clock.instant().isBefore(redeliverable.get())) {
      return new Scheduling.Skipped(id, "execution " + id + " was redelivered " + execution.redeliveries()
          + " time(s) without a run; it is placed again from " + redeliverable.get());
    }
    PlacementDecision lastLost = null;
    // the previous worker only ranks eligible workers, so it is read only once a worker would be selected
    Optional<WorkerId> previous = Optional.empty();
    boolean previousRead = false;
    for (int race = 0; race <= MAX_RACES; race++) {
      if (execution.status() != ExecutionStatus.REQUESTED) {
        return new Scheduling.Skipped(id, "execution " + id + " is " + execution.status().wireName());
      }
      Instant now = clock.instant();
      ExecutionObserver.Decision timing = observer.decisionStarted();
      PlacementDecision decision = policy.decide(execution.requirements(),
          directory.candidatesFor(execution.requirements()), now, previous);
      if (decision.outcome() == PlacementOutcome.UNSCHEDULABLE) {
        // a verdict that ends the execution is given on fresh data only: a copy of the fleet may not know yet the
        // worker that registered a moment ago
        directory.refresh();
        decision = policy.decide(execution.requirements(), directory.candidatesFor(execution.requirements()), now,
            previous);
      }
      if (decision.outcome() == PlacementOutcome.SELECTED && !previousRead) {
        previousRead = true;
        previous = executions.previousWorkerFor(execution.requirements());
        if (previous.isPresent()) {
          decision = policy.decide(execution.requirements(), directory.candidatesFor(execution.requirements()), now,
              previous);
        }
      }
      timing.decided(decision);
      if (decision.outcome() == PlacementOutcome.UNSCHEDULABLE) {
        // the candidates may be only the workers offering the runtime: explain with every worker, so that the
        // stored explanation names each one and why
        return unschedulable(execution, policy.explain(execution.requirements(), directory.all(), now, previous),
            now);
      }
      if (decision.outcome() == PlacementOutcome.WAIT) {
        return new Scheduling.Waiting(execution, decision);
      }
      Worker worker = decision.selected().orElseThrow();
      // counted before the store's round trip, so that this scheduler's concurrent decisions do not all pick the
      // same last slot meanwhile; given back if the store refuses
      directory.reserved(worker.id(), execution.requirements());
      ExecutionStore.Assignment assignment;
      try {
        assignment = executions.assign(id, worker.id(), now);
      } catch (RuntimeException failed) {
        directory.unreserved(worker.id(), execution.requirements());
        throw failed;
      }
      if (assignment instanceof ExecutionStore.Assignment.Assigned assigned) {
        return dispatch(assigned.execution(), worker, decision);
      }
      directory.unreserved(worker.id(), execution.requirements());
      if (assignment instanceof ExecutionStore.Assignment.NotWaiting notWaiting) {
        execution = notWaiting.execution();
      }
      // WorkerFull: another scheduler took the last slot; decide again on fresh data, which a directory serving a
      // copy of the fleet must first bring up to date
      if (assignment instanceof ExecutionStore.Assignment.WorkerFull) {
        directory.refresh();
      }
      lastLost = decision;
    }
    if (execution.status() != ExecutionStatus.REQUESTED) {
      return new Scheduling.Skipped(id, "execution " + id + " is " + execution.status().wireName());
    }
    // every race for a slot was lost: the workers are full right now, so the execution waits for the next try
    return new Scheduling.Waiting(execution, lastLost);
  }

  private Scheduling unschedulable(Execution execution, PlacementReport report, Instant now) {
    Transition marked = executions.markUnschedulable(execution.id(),
        ExecutionResult.structured(PlacementExplanations.toTree(report), PlacementExplanations.summary(report)), now);
    if (!marked.applied()) {
      return new Scheduling.Skipped(execution.id(), ((Transition.Refused) marked).reason());
    }
    ends.ended(marked.execution());
    return new Scheduling.Unschedulable(marked.execution(), report);
  }

  private Scheduling dispatch(Execution execution, Worker worker, PlacementDecision decision) {
    try {
      dispatcher.dispatch(execution, worker);
      return new Scheduling.Dispatched(execution, worker, decision);
    } catch (InfrastructureException failed) {
      // give the slot back and queue the execution again; the caller retries later
      undelivered.undelivered(execution, worker, failed.getMessage());
      throw failed;
    }
  }
}
