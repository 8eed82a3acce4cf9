package io.attune.worker.core.model.execution;

import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.worker.WorkerId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One run of an action, from request to end. Changes return a {@link Transition}: an illegal change, or a result
 * from an earlier attempt, is refused as a value, and the execution is unchanged.
 *
 * @param attempt 0 while never placed; each placement starts a new attempt
 * @param since when it entered its current status: for a requested execution, when it was last queued (a requeued
 *     one waits again from its requeue, not from its submission); for a scheduled one, when it was placed
 * @param attempts every placement so far, oldest first, with its worker, times and outcome
 * @param cancelRequestedAt when a cancel of the running execution was requested: its worker is to end the process
 *     tree and record it as cancelled; a requeue (its worker was lost) then ends it as cancelled instead
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
    Instant since,
    List<Attempt> attempts,
    Optional<Instant> cancelRequestedAt) {

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
    attempts = List.copyOf(attempts);
    Objects.requireNonNull(cancelRequestedAt, "cancelRequestedAt");
  }

  /** A new execution, requested now and never placed. */
  public static Execution requested(ExecutionId id, ExecutionRequest request, Instant now) {
    return new Execution(id, request.requirements().actionRef(), request.requirements(), request.parameters(),
        ExecutionStatus.REQUESTED, Optional.empty(), 0, Optional.empty(), now, Optional.empty(), Optional.empty(),
        now, List.of(), Optional.empty());
  }

  /** Places the execution on a worker, starting the next attempt. */
  public Transition schedule(WorkerId onWorker, Instant now) {
    Objects.requireNonNull(onWorker, "onWorker");
    return move(ExecutionStatus.SCHEDULED, attempt, () -> with(ExecutionStatus.SCHEDULED, Optional.of(onWorker),
        attempt + 1, result, startedAt, endedAt, now, appended(Attempt.scheduled(attempt + 1, onWorker, now))));
  }

  /**
   * The worker of the given attempt started the process. Only the worker the attempt was placed on may start it: a
   * dispatch that reached another worker (misrouted, or forged) is refused, so that it neither runs there without a
   * reserved slot nor beside the run of the worker it was placed on.
   */
  public Transition start(int ofAttempt, WorkerId byWorker, Instant now) {
    Objects.requireNonNull(byWorker, "byWorker");
    if (placedElsewhere(ofAttempt, byWorker)) {
      return new Transition.Refused(this, "execution " + id + " attempt " + ofAttempt + " was placed on worker "
          + worker.orElseThrow() + ", not on worker " + byWorker + ": a dispatch that reached the wrong worker");
    }
    return move(ExecutionStatus.RUNNING, ofAttempt, () -> with(ExecutionStatus.RUNNING, worker, attempt, result,
        Optional.of(now), endedAt, now, current(a -> a.started(now))));
  }

  /**
   * True when the given attempt is this execution's current placement on another worker than {@code byWorker}: a
   * message about it that reached {@code byWorker} was misrouted or forged.
   */
  public boolean placedElsewhere(int ofAttempt, WorkerId byWorker) {
    return ofAttempt == attempt && status.holdsWorker() && worker.isPresent() && !worker.get().equals(byWorker);
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
    if (lateRunMayEnd(ofAttempt, outcome)) {
      return endByLateRun(ofAttempt, outcome, outcomeResult, now);
    }
    if (ofAttempt == attempt && !status.holdsWorker()) {
      return new Transition.Refused(this, "execution " + id + " is " + status.wireName() + "; attempt " + ofAttempt
          + " no longer holds a worker, so its result comes too late");
    }
    return move(outcome, ofAttempt, () -> with(outcome, worker, attempt, Optional.of(outcomeResult), startedAt,
        Optional.of(now), now, current(a -> a.ended(AttemptOutcome.of(outcome), outcomeResult.message(), now))));
  }

  /**
   * The rule of a run that outlived its attempt: the worker of an earlier attempt was judged lost (a paused JVM, a
   * database it could not reach) and the attempt requeued, yet its action ran to the end, and no later attempt has
   * started. That run's outcome ends the execution, rather than running the action again or abandoning it: nothing
   * else runs the action. A later attempt still scheduled is superseded (its start is refused from then on, and its
   * slot is given back). Not for a {@code cancelled} report, unless an operator asked for the cancel: a run ended
   * because its worker handed it on (a drain) must be tried again.
   */
  private boolean lateRunMayEnd(int ofAttempt, ExecutionStatus outcome) {
    boolean noLaterRun = status == ExecutionStatus.REQUESTED
        || status == ExecutionStatus.SCHEDULED && ofAttempt < attempt;
    boolean ranToTheEnd = outcome != ExecutionStatus.CANCELLED || cancelRequestedAt.isPresent();
    return ofAttempt <= attempt && noLaterRun && ranToTheEnd
        && attemptNumbered(ofAttempt).filter(Attempt::started).isPresent();
  }

  private Transition endByLateRun(int ofAttempt, ExecutionStatus outcome, ExecutionResult outcomeResult,
      Instant now) {
    Attempt ran = attemptNumbered(ofAttempt).orElseThrow();
    List<Attempt> all = AttemptBook.endedByLateRun(attempts, ran, attempt, status == ExecutionStatus.SCHEDULED,
        AttemptOutcome.of(outcome), outcomeResult.message(), now);
    return new Transition.Applied(with(outcome, Optional.of(ran.worker()), attempt, Optional.of(outcomeResult),
        ran.startedAt(), Optional.of(now), now, all));
  }

  /** The attempt with this number, when the list has it. */
  public Optional<Attempt> attemptNumbered(int number) {
    return AttemptBook.numbered(attempts, number);
  }

  /**
   * How many attempts started a run (an execution stored before attempts were kept counts each attempt as one).
   * {@code max attempts} bounds these: a dispatch that never started is not a run.
   */
  public int runs() {
    return AttemptBook.runs(attempts, attempt);
  }

  /** How many earlier attempts were requeued without ever starting: dispatches that led to no run. */
  public int redeliveries() {
    return AttemptBook.redeliveries(attempts);
  }

  /** True when the current attempt started a run (it runs, or ran). */
  public boolean currentAttemptStarted() {
    return status == ExecutionStatus.RUNNING || attemptNumbered(attempt).filter(Attempt::started).isPresent();
  }

  /** No worker could run it even when idle and healthy; the result holds the explanation. */
  public Transition markUnschedulable(ExecutionResult explanation, Instant now) {
    return move(ExecutionStatus.UNSCHEDULABLE, attempt, () -> with(ExecutionStatus.UNSCHEDULABLE, Optional.empty(),
        attempt, Optional.of(explanation), startedAt, Optional.of(now), now, attempts));
  }

  /**
   * The given attempt was lost (its worker, or its dispatch): queue it again, waiting from now, for another one. An
   * execution whose cancel was requested is not queued again: it ends as cancelled, since the process its worker
   * was to end is gone with the worker.
   */
  public Transition requeue(int ofAttempt, String reason, Instant now) {
    if (cancelRequestedAt.isPresent() && ofAttempt == attempt) {
      return cancelPending(reason, now);
    }
    return move(ExecutionStatus.REQUESTED, ofAttempt, () -> with(ExecutionStatus.REQUESTED, Optional.empty(),
        attempt, Optional.of(ExecutionResult.message(reason)), Optional.empty(), Optional.empty(), now,
        current(a -> a.ended(AttemptOutcome.REQUEUED, reason, now))));
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

  /**
   * Its worker was lost and no attempt remains, or scheduling gave up waiting. Ends as cancelled instead when a
   * cancel was requested.
   */
  public Transition abandon(int ofAttempt, String reason, Instant now) {
    if (cancelRequestedAt.isPresent() && ofAttempt == attempt) {
      return cancelPending(reason, now);
    }
    return move(ExecutionStatus.ABANDONED, ofAttempt, () -> with(ExecutionStatus.ABANDONED, worker, attempt,
        Optional.of(ExecutionResult.message(reason)), startedAt, Optional.of(now), now,
        current(a -> a.ended(AttemptOutcome.ABANDONED, reason, now))));
  }

  /** Ends it now as cancelled, whatever holds it: for what no worker has to stop (or no worker can any more). */
  public Transition cancel(String reason, Instant now) {
    return move(ExecutionStatus.CANCELLED, attempt, () -> with(ExecutionStatus.CANCELLED, worker, attempt,
        Optional.of(ExecutionResult.message(reason)), startedAt, Optional.of(now), now,
        current(a -> a.ended(AttemptOutcome.CANCELLED, reason, now))));
  }

  /**
   * An operator asks to cancel it. One that no process runs for (requested, or scheduled and not yet started) is
   * cancelled at once: its worker's start is then refused, so the process never starts. A running one stays running
   * with the request recorded: its worker ends the process tree and reports it cancelled, and should the worker be
   * lost first, recovery ends it as cancelled instead of queueing it again. Refused once it has ended, and when a
   * cancel is already pending.
   */
  public Transition requestCancel(String reason, Instant now) {
    if (status == ExecutionStatus.RUNNING) {
      if (cancelRequestedAt.isPresent()) {
        return new Transition.Refused(this, "a cancel of execution " + id + " was already requested at "
            + cancelRequestedAt.get() + "; its worker is ending it");
      }
      return new Transition.Applied(new Execution(id, actionRef, requirements, parameters, status, worker, attempt,
          result, requestedAt, startedAt, endedAt, since, attempts, Optional.of(now)));
    }
    if (status.isTerminal()) {
      return new Transition.Refused(this, "execution " + id + " has already ended: " + status.wireName());
    }
    return cancel(reason, now);
  }

  /** True while a cancel was requested and its worker has not ended it yet. */
  public boolean cancelPending() {
    return cancelRequestedAt.isPresent() && !status.isTerminal();
  }

  private Transition cancelPending(String reason, Instant now) {
    return cancel("cancelled on request; its worker was lost before ending it (" + reason + ")", now);
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
      Instant newSince, List<Attempt> newAttempts) {
    return new Execution(id, actionRef, requirements, parameters, newStatus, newWorker, newAttempt, newResult,
        requestedAt, newStartedAt, newEndedAt, newSince, newAttempts, cancelRequestedAt);
  }

  private List<Attempt> appended(Attempt next) {
    return AttemptBook.appended(attempts, next);
  }

  /** The attempts with the current one changed (see {@link AttemptBook#withCurrent}). */
  private List<Attempt> current(UnaryOperator<Attempt> change) {
    return AttemptBook.withCurrent(attempts, attempt, change);
  }
}
