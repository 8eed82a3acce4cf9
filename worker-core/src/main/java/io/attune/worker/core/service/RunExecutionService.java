package io.attune.worker.core.service;

import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.in.RunExecutionUseCase;
import io.attune.worker.core.port.in.StopExecutionUseCase;
import io.attune.worker.core.port.out.ActionCatalog;
import io.attune.worker.core.port.out.ActionRunner;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.RetryPause;
import io.attune.worker.core.port.out.WorkerLease;
import io.attune.worker.core.port.out.WorkerRuns;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * The worker side of an execution: claim the start for the current attempt, run the action within the concurrency
 * limit, record the outcome. A start or result for an attempt that was recovered elsewhere is refused.
 *
 * <p>Once an action has run, its outcome is never dropped because the store failed (a database restart or a
 * connection blip while the action ends): recording it is retried with backoff until it is stored or refused by
 * fencing. Only an interrupt (the worker is shutting down) stops the retries; the execution is then recovered like
 * any other held by a worker that went away.
 *
 * <p>A stop request (an operator's cancel) for an execution running here ends its process tree through the runner
 * (the thread running it is interrupted, and only while it runs the action, so that an interrupt never lands on the
 * next execution the thread takes nor cuts the recording of an outcome); one that arrives before the action started
 * keeps it from starting. Either way the execution is recorded as cancelled. Which runs are to stop is found by
 * {@link LocalStops}.
 *
 * <p>What a worker runs is an attempt: (execution, attempt, this worker). Its ownership rules:
 * <ul>
 *   <li>a dispatch is started only by the worker the attempt was placed on; one that reached another worker is
 *       {@link Handling.Misrouted} (the transport dead-letters it);
 *   <li>a newer attempt placed on this worker while an older attempt of the same execution still runs here (this
 *       worker was judged lost, e.g. its JVM paused, and came back) takes that run over: the newer attempt is
 *       started and the run's outcome is recorded for it, so the action is neither run twice nor abandoned;
 *   <li>an attempt taken from this worker (a later attempt started elsewhere, or the execution ended) has its
 *       process tree ended once the worker learns of it ({@link #stopWhatIsNoLongerHeld}).
 * </ul>
 */
public final class RunExecutionService implements RunExecutionUseCase, StopExecutionUseCase {

  /** The message of an execution stopped on request. */
  static final String STOPPED = "cancelled on request: the worker ended its process tree";
  /** The message of an execution whose stop request arrived before its action started. */
  static final String STOPPED_BEFORE_START = "cancelled on request before its action started";

  private final WorkerRuns executions;
  private final ActionCatalog catalog;
  private final ActionRunner runner;
  private final Clock clock;
  private final Semaphore slots;
  private final OutcomeRecorder outcomes;
  private final WorkerLease lease;
  private final LocalRuns runningHere = new LocalRuns();
  private final LocalStops stops;

  /**
   * @param events told of every end this worker records
   * @param lease whether this process still holds its worker's name: a dispatch starts nothing otherwise
   */
  public RunExecutionService(WorkerRuns executions, ActionCatalog catalog, ActionRunner runner, Clock clock,
      int maxConcurrentExecutions, RetryPause pause, ExecutionObserver observer, ExecutionEvents events,
      WorkerLease lease) {
    if (maxConcurrentExecutions < 1) {
      throw new IllegalArgumentException("max concurrent executions must be at least 1, was "
          + maxConcurrentExecutions);
    }
    this.executions = executions;
    this.catalog = catalog;
    this.runner = runner;
    this.clock = clock;
    this.slots = new Semaphore(maxConcurrentExecutions, true);
    this.outcomes = new OutcomeRecorder(executions, clock, Objects.requireNonNull(pause, "pause"),
        Objects.requireNonNull(observer, "observer"), new Ends(observer, events));
    this.lease = Objects.requireNonNull(lease, "lease");
    this.stops = new LocalStops(executions, runningHere, clock);
  }

  @Override
  public Transition run(Execution dispatched) {
    LocalRun here = new LocalRun(dispatched.attempt());
    if (runningHere.enter(dispatched.id(), here).isPresent()) {
      return new Transition.Refused(dispatched, "execution " + dispatched.id() + " already runs on this worker");
    }
    try {
      return runHeld(dispatched, true, here);
    } finally {
      runningHere.leave(dispatched.id(), here);
    }
  }

  /**
   * The rules, in order: a message for an execution running in this process already is a repeat (same attempt) or
   * takes the run over (a newer attempt placed here); the attempt is started if it is scheduled on this worker, in the
   * same step that reads the execution, and runs; otherwise an unknown execution or a message for another attempt is
   * ignored, one placed on another worker is misrouted, and a running attempt of this worker that does not run here
   * was started by this worker without running (its start was stored but the answer lost, and the message
   * redelivered): it runs now, without a second start.
   */
  @Override
  public Handling handleDispatch(ExecutionId id, int attempt, WorkerId self) {
    if (!lease.held()) {
      return new Handling.NotHeld("this process no longer holds (or cannot confirm it holds) worker " + self
          + "'s name: execution " + id + " attempt " + attempt + " is left to the process that does");
    }
    LocalRun here = new LocalRun(attempt);
    Optional<LocalRun> already = runningHere.enter(id, here);
    if (already.isPresent()) {
      return takeOver(already.get(), id, attempt, self);
    }
    try {
      Optional<Transition> claimed = executions.startDispatched(id, attempt, self, clock.instant());
      if (claimed.isEmpty()) {
        return new Handling.Ignored("execution " + id + " is unknown");
      }
      Transition start = claimed.get();
      if (start.applied()) {
        outcomes.started(start.execution());
        return new Handling.Ran(runHeld(start.execution(), false, here));
      }
      Execution execution = start.execution();
      if (execution.placedElsewhere(attempt, self)) {
        return new Handling.Misrouted(((Transition.Refused) start).reason());
      }
      if (execution.attempt() != attempt) {
        return new Handling.Ignored("execution " + id + " is at attempt " + execution.attempt() + ", not " + attempt
            + ": a stale dispatch");
      }
      if (execution.status() == ExecutionStatus.RUNNING && execution.worker().equals(Optional.of(self))) {
        return new Handling.Ran(runHeld(execution, false, here));
      }
      return new Handling.Ignored("execution " + id + " attempt " + attempt + " is " + execution.status().wireName()
          + (execution.worker().isPresent() ? " on worker " + execution.worker().get() : "") + ": a stale dispatch");
    } finally {
      runningHere.leave(id, here);
    }
  }

  /**
   * A dispatch of an execution whose run is already here. The same attempt again is a repeat. A newer attempt was
   * placed here while this worker was judged lost with the run of an older one still going: it is started here and
   * takes the run over, so that the run's outcome is recorded for it. Once the run is recording its outcome, that
   * outcome ends the execution (a run that outlived its attempt, {@code Execution.finish}) and the newer attempt is
   * left to it.
   */
  private Handling takeOver(LocalRun here, ExecutionId id, int attempt, WorkerId self) {
    synchronized (here) {
      int older = here.attempt();
      if (attempt <= older) {
        return new Handling.Ignored("execution " + id + " already runs on this worker (attempt " + older
            + "): " + (attempt == older ? "a repeated dispatch" : "a stale dispatch"));
      }
      if (!here.takeable()) {
        return new Handling.Ignored("execution " + id + " attempt " + older + " is " + (here.recording()
            ? "ending on this worker; its outcome ends the execution" : "starting on this worker"));
      }
      Optional<Transition> claimed = executions.startDispatched(id, attempt, self, clock.instant());
      if (claimed.isEmpty()) {
        return new Handling.Ignored("execution " + id + " is unknown");
      }
      Transition start = claimed.get();
      if (!start.applied()) {
        return start.execution().placedElsewhere(attempt, self)
            ? new Handling.Misrouted(((Transition.Refused) start).reason())
            : new Handling.Ignored(((Transition.Refused) start).reason());
      }
      here.takenOverBy(start.execution());
      return new Handling.TookOver("execution " + id + " attempt " + attempt + " takes over the run of attempt "
          + older + ", still running on this worker");
    }
  }

  @Override
  public List<ExecutionId> stopCancelled(WorkerId self) {
    return stops.stopCancelled(self);
  }

  @Override
  public boolean stop(ExecutionId id, int attempt) {
    return runningHere.stop(id, attempt);
  }

  @Override
  public List<ExecutionId> stopWhatIsNoLongerHeld(WorkerId self) {
    return stops.stopWhatIsNoLongerHeld(self);
  }

  /** Runs an execution this process holds in {@link #runningHere}, within the concurrency limit. */
  private Transition runHeld(Execution dispatched, boolean start, LocalRun here) {
    if (!start) {
      here.started(dispatched);
    }
    try {
      slots.acquire();
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return outcomes.ended(executions.finish(dispatched, ExecutionStatus.CANCELLED,
          ExecutionResult.message("worker shut down before the execution started"), clock.instant()));
    }
    try {
      Execution running = dispatched;
      if (start) {
        WorkerId self = dispatched.worker().orElseThrow(() -> new IllegalArgumentException("execution "
            + dispatched.id() + " was dispatched without a worker"));
        Transition started = executions.start(dispatched.id(), dispatched.attempt(), self, clock.instant());
        if (!started.applied()) {
          return started;
        }
        running = started.execution();
        outcomes.started(running);
      }
      here.started(running);
      Optional<ActionDefinition> action = catalog.find(running.actionRef());
      if (action.isEmpty()) {
        running = here.recordWithoutAction();
        String why = catalog.problem(running.actionRef()).map(p -> " cannot run on this worker: " + p)
            .orElse(" is not installed on this worker");
        return outcomes.record(running, ExecutionStatus.FAILED,
            ExecutionResult.message("action " + running.actionRef() + why));
      }
      if (here.stoppedBeforeAction()) {
        return outcomes.record(here.recordWithoutAction(), ExecutionStatus.CANCELLED,
            ExecutionResult.message(STOPPED_BEFORE_START));
      }
      ActionRunner.Outcome outcome = runner.run(running.id(), action.get(), running.parameters());
      LocalRun.Ended ended = here.actionEnded();
      if (ended.stoppedOnRequest() && outcome.status() == ExecutionStatus.CANCELLED) {
        ExecutionResult stopped = outcome.result();
        outcome = new ActionRunner.Outcome(ExecutionStatus.CANCELLED, new ExecutionResult(stopped.exitCode(),
            stopped.stdout(), stopped.stderr(), stopped.result(), STOPPED));
      }
      return outcomes.record(ended.execution(), outcome.status(), outcome.result());
    } finally {
      slots.release();
    }
  }
}
