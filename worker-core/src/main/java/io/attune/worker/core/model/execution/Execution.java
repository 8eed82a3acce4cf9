package io.attune.worker.core.model.execution;

import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.placement.ActionRequirements;
import io.attune.worker.core.model.worker.WorkerId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One run of an action, from request to end. Changes return a {@link Transition}: an illegal change, or a result
 * from an earlier attempt, is refused as a value, and the execution is unchanged.
 *
 * @param attempt 0 while never placed; each placement starts a new attempt
 * @param since when it entered its current status: for a requested execution, when it was last queued (a requeued
 *     one waits again from its requeue, not from its submission); for a scheduled one, when it was placed
 */
public record Execution(
    ExecutionId id,
    ActionRef actionRef,
    ActionRequirements requirements,
    Map<String, Object> parameters,
    ExecutionStatus status,
    Optional<WorkerId> worker,
    int attempt,
    Optional<ExecutionResult> result,
    Instant requestedAt,
    Optional<Instant> startedAt,
    Optional<Instant> endedAt,
    Instant since) {

  public Execution {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(actionRef, "actionRef");
    Objects.requireNonNull(requirements, "requirements");
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(worker, "worker");
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must not be negative, was " + attempt);
    }
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(requestedAt, "requestedAt");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(endedAt, "endedAt");
    Objects.requireNonNull(since, "since");
  }

  /** A new execution, requested now and never placed. */
  public static Execution requested(ExecutionId id, ExecutionRequest request, Instant now) {
    return new Execution(id, request.requirements().actionRef(), request.requirements(), request.parameters(),
        ExecutionStatus.REQUESTED, Optional.empty(), 0, Optional.empty(), now, Optional.empty(), Optional.empty(),
        now);
  }

  /** Places the execution on a worker, starting the next attempt. */
  public Transition schedule(WorkerId onWorker, Instant now) {
    Objects.requireNonNull(onWorker, "onWorker");
    return move(ExecutionStatus.SCHEDULED, attempt, () -> with(ExecutionStatus.SCHEDULED, Optional.of(onWorker),
        attempt + 1, result, startedAt, endedAt, now));
  }

  /** The worker of the given attempt started the process. */
  public Transition start(int ofAttempt, Instant now) {
    return move(ExecutionStatus.RUNNING, ofAttempt, () -> with(ExecutionStatus.RUNNING, worker, attempt, result,
        Optional.of(now), endedAt, now));
  }

  /**
   * The worker of the given attempt reports how it ended. Accepted only while that attempt holds a worker
   * (scheduled or running): once the execution was requeued or ended, a late report of the same attempt, even a
   * {@code cancelled} one, changes nothing.
   */
  public Transition finish(int ofAttempt, ExecutionStatus outcome, ExecutionResult outcomeResult, Instant now) {
    if (!isWorkOutcome(outcome)) {
      return new Transition.Refused(this, outcome.wireName() + " is not an outcome a worker can report");
    }
    Objects.requireNonNull(outcomeResult, "outcomeResult");
    if (ofAttempt == attempt && !status.holdsWorker()) {
      return new Transition.Refused(this, "execution " + id + " is " + status.wireName() + "; attempt " + ofAttempt
          + " no longer holds a worker, so its result comes too late");
    }
    return move(outcome, ofAttempt, () -> with(outcome, worker, attempt, Optional.of(outcomeResult), startedAt,
        Optional.of(now), now));
  }

  /** No worker could run it even when idle and healthy; the result holds the explanation. */
  public Transition markUnschedulable(ExecutionResult explanation, Instant now) {
    return move(ExecutionStatus.UNSCHEDULABLE, attempt, () -> with(ExecutionStatus.UNSCHEDULABLE, Optional.empty(),
        attempt, Optional.of(explanation), startedAt, Optional.of(now), now));
  }

  /** The given attempt was lost (its worker, or its dispatch): queue it again, waiting from now, for another one. */
  public Transition requeue(int ofAttempt, String reason, Instant now) {
    return move(ExecutionStatus.REQUESTED, ofAttempt, () -> with(ExecutionStatus.REQUESTED, Optional.empty(),
        attempt, Optional.of(ExecutionResult.message(reason)), Optional.empty(), Optional.empty(), now));
  }

  /**
   * The transport says the dispatch of the given attempt never reached its worker: queue it again, as
   * {@link #requeue} does, unless that attempt has started, which proves the dispatch did arrive (a confirm that
   * timed out says nothing more). Requeuing a started attempt would run the action twice.
   */
  public Transition requeueUndelivered(int ofAttempt, String reason, Instant now) {
    if (status == ExecutionStatus.RUNNING && attempt == ofAttempt) {
      return new Transition.Refused(this, "execution " + id + " attempt " + ofAttempt
          + " has started: its dispatch was delivered");
    }
    return requeue(ofAttempt, reason, now);
  }

  /** Its worker was lost and no attempt remains, or scheduling gave up waiting. */
  public Transition abandon(int ofAttempt, String reason, Instant now) {
    return move(ExecutionStatus.ABANDONED, ofAttempt, () -> with(ExecutionStatus.ABANDONED, worker, attempt,
        Optional.of(ExecutionResult.message(reason)), startedAt, Optional.of(now), now));
  }

  /** Stopped on request. */
  public Transition cancel(String reason, Instant now) {
    return move(ExecutionStatus.CANCELLED, attempt, () -> with(ExecutionStatus.CANCELLED, worker, attempt,
        Optional.of(ExecutionResult.message(reason)), startedAt, Optional.of(now), now));
  }

  /** How long it has been in its current status at {@code now}. */
  public Duration inStatusFor(Instant now) {
    return Duration.between(since, now);
  }

  private static boolean isWorkOutcome(ExecutionStatus status) {
    return status == ExecutionStatus.SUCCEEDED || status == ExecutionStatus.FAILED
        || status == ExecutionStatus.TIMED_OUT || status == ExecutionStatus.CANCELLED;
  }

  private Transition move(ExecutionStatus next, int ofAttempt, java.util.function.Supplier<Execution> change) {
    if (ofAttempt != attempt) {
      return new Transition.Refused(this, "execution " + id + " is at attempt " + attempt
          + "; a change for attempt " + ofAttempt + " comes too late");
    }
    if (!status.canMoveTo(next)) {
      return new Transition.Refused(this, "execution " + id + " cannot go from " + status.wireName() + " to "
          + next.wireName());
    }
    return new Transition.Applied(change.get());
  }

  private Execution with(ExecutionStatus newStatus, Optional<WorkerId> newWorker, int newAttempt,
      Optional<ExecutionResult> newResult, Optional<Instant> newStartedAt, Optional<Instant> newEndedAt,
      Instant newSince) {
    return new Execution(id, actionRef, requirements, parameters, newStatus, newWorker, newAttempt, newResult,
        requestedAt, newStartedAt, newEndedAt, newSince);
  }
}
