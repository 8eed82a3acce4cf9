package io.attune.worker.core.service;

import io.attune.worker.core.error.InfrastructureException;
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
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.port.out.RetryPause;
import io.attune.worker.core.port.out.WorkerLease;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 * keeps it from starting. Either way the execution is recorded as cancelled.
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

  /** The first wait before recording an outcome again. */
  public static final Duration FIRST_RETRY = Duration.ofMillis(200);
  /** The longest wait between two tries. */
  public static final Duration LONGEST_RETRY = Duration.ofSeconds(15);

  private final ExecutionStore executions;
  private final ActionCatalog catalog;
  private final ActionRunner runner;
  private final Clock clock;
  private final Semaphore slots;
  private final RetryPause pause;
  private final ExecutionObserver observer;
  private final WorkerLease lease;
  /** Executions this process is running: a repeated dispatch of one of them is ignored. */
  private final Map<ExecutionId, Running> runningHere = new ConcurrentHashMap<>();

  /**
   * One execution running here: its thread, the attempt its run belongs to (a newer attempt may take the run over),
   * and where the run is. Guarded by itself.
   */
  private static final class Running {
    private final Thread thread = Thread.currentThread();
    private int attempt;
    /** The execution as its current attempt started it, once it has. */
    private Execution execution;
    private boolean started;
    private boolean stopRequested;
    private boolean inAction;
    /** The action has ended and its outcome is being recorded: no attempt may take the run over any more. */
    private boolean recording;

    Running(int attempt) {
      this.attempt = attempt;
    }
  }

  /** The message of an execution stopped on request. */
  static final String STOPPED = "cancelled on request: the worker ended its process tree";
  /** The message of an execution whose stop request arrived before its action started. */
  static final String STOPPED_BEFORE_START = "cancelled on request before its action started";

  public RunExecutionService(ExecutionStore executions, ActionCatalog catalog, ActionRunner runner, Clock clock,
      int maxConcurrentExecutions) {
    this(executions, catalog, runner, clock, maxConcurrentExecutions, RetryPause.SLEEP);
  }

  public RunExecutionService(ExecutionStore executions, ActionCatalog catalog, ActionRunner runner, Clock clock,
      int maxConcurrentExecutions, RetryPause pause) {
    this(executions, catalog, runner, clock, maxConcurrentExecutions, pause, ExecutionObserver.NONE);
  }

  /** @param observer told of every attempt this worker starts and of every outcome it records */
  public RunExecutionService(ExecutionStore executions, ActionCatalog catalog, ActionRunner runner, Clock clock,
      int maxConcurrentExecutions, RetryPause pause, ExecutionObserver observer) {
    this(executions, catalog, runner, clock, maxConcurrentExecutions, pause, observer, WorkerLease.ALWAYS);
  }

  /** @param lease whether this process still holds its worker's name: a dispatch starts nothing otherwise */
  public RunExecutionService(ExecutionStore executions, ActionCatalog catalog, ActionRunner runner, Clock clock,
      int maxConcurrentExecutions, RetryPause pause, ExecutionObserver observer, WorkerLease lease) {
    if (maxConcurrentExecutions < 1) {
      throw new IllegalArgumentException("max concurrent executions must be at least 1, was "
          + maxConcurrentExecutions);
    }
    this.executions = executions;
    this.catalog = catalog;
    this.runner = runner;
    this.clock = clock;
    this.slots = new Semaphore(maxConcurrentExecutions, true);
    this.pause = Objects.requireNonNull(pause, "pause");
    this.observer = Objects.requireNonNull(observer, "observer");
    this.lease = Objects.requireNonNull(lease, "lease");
  }

  @Override
  public Transition run(Execution dispatched) {
    return runAttempt(dispatched, true);
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
    Running here = new Running(attempt);
    Running already = runningHere.putIfAbsent(id, here);
    if (already != null) {
      return takeOver(already, id, attempt, self);
    }
    try {
      Optional<Transition> claimed = executions.startDispatched(id, attempt, self, clock.instant());
      if (claimed.isEmpty()) {
        return new Handling.Ignored("execution " + id + " is unknown");
      }
      Transition start = claimed.get();
      if (start.applied()) {
        started(start.execution());
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
      leave(id, here);
    }
  }

  /**
   * A dispatch of an execution whose run is already here. The same attempt again is a repeat. A newer attempt was
   * placed here while this worker was judged lost with the run of an older one still going: it is started here and
   * takes the run over, so that the run's outcome is recorded for it. Once the run is recording its outcome, that
   * outcome ends the execution (a run that outlived its attempt, {@code Execution.finish}) and the newer attempt is
   * left to it.
   */
  private Handling takeOver(Running here, ExecutionId id, int attempt, WorkerId self) {
    synchronized (here) {
      if (attempt <= here.attempt) {
        return new Handling.Ignored("execution " + id + " already runs on this worker (attempt " + here.attempt
            + "): " + (attempt == here.attempt ? "a repeated dispatch" : "a stale dispatch"));
      }
      if (!here.started || here.recording) {
        return new Handling.Ignored("execution " + id + " attempt " + here.attempt + " is " + (here.recording
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
      int older = here.attempt;
      here.attempt = attempt;
      here.execution = start.execution();
      return new Handling.TookOver("execution " + id + " attempt " + attempt + " takes over the run of attempt "
          + older + ", still running on this worker");
    }
  }

  private Transition runAttempt(Execution dispatched, boolean start) {
    Running here = new Running(dispatched.attempt());
    if (runningHere.putIfAbsent(dispatched.id(), here) != null) {
      return new Transition.Refused(dispatched, "execution " + dispatched.id() + " already runs on this worker");
    }
    try {
      return runHeld(dispatched, start, here);
    } finally {
      leave(dispatched.id(), here);
    }
  }

  /** The execution no longer runs here; an interrupt sent to stop it is not left for the thread's next work. */
  private void leave(ExecutionId id, Running here) {
    synchronized (here) {
      runningHere.remove(id, here);
      if (here.stopRequested) {
        Thread.interrupted();
      }
    }
  }

  @Override
  public boolean stop(ExecutionId id, int attempt) {
    Running here = runningHere.get(id);
    if (here == null) {
      return false;
    }
    synchronized (here) {
      if (runningHere.get(id) != here || here.attempt != attempt) {
        return false;
      }
      here.stopRequested = true;
      if (here.inAction) {
        here.thread.interrupt();
      }
      return true;
    }
  }

  @Override
  public List<ExecutionId> stopCancelled(WorkerId self) {
    List<ExecutionId> stopped = new ArrayList<>();
    for (Execution held : executions.heldBy(self)) {
      if (!held.cancelPending() || held.status() != ExecutionStatus.RUNNING || isStopping(held.id())) {
        continue;
      }
      if (stop(held.id(), held.attempt())) {
        stopped.add(held.id());
      } else if (!runningHere.containsKey(held.id()) && executions.finish(held, ExecutionStatus.CANCELLED,
          ExecutionResult.message("cancelled on request: no process of this worker ran it any more"),
          clock.instant()).applied()) {
        // the store says it runs here, but no thread does: an earlier process of this worker was lost with it
        stopped.add(held.id());
      }
    }
    return stopped;
  }

  @Override
  public List<ExecutionId> stopWhatIsNoLongerHeld(WorkerId self) {
    List<ExecutionId> stopped = new ArrayList<>();
    for (Map.Entry<ExecutionId, Running> entry : runningHere.entrySet()) {
      Running here = entry.getValue();
      int attempt;
      synchronized (here) {
        if (!here.started || here.recording || here.stopRequested) {
          continue;
        }
        attempt = here.attempt;
      }
      Optional<Execution> stored = executions.find(entry.getKey());
      if (stored.isPresent() && takenFrom(stored.get(), attempt, self) && stop(entry.getKey(), attempt)) {
        stopped.add(entry.getKey());
      }
    }
    return stopped;
  }

  /**
   * True when the run of {@code attempt} here may no longer go on: the execution ended, or a later attempt runs (on
   * another worker, or here without having taken this run over). A requeued execution, or a later attempt placed but
   * not started, leaves the run alone: should it end first, its outcome ends the execution.
   */
  static boolean takenFrom(Execution stored, int attempt, WorkerId self) {
    if (stored.status().isTerminal()) {
      return true;
    }
    return stored.status() == ExecutionStatus.RUNNING
        && (stored.attempt() != attempt || !stored.worker().equals(Optional.of(self)));
  }

  /** True when a stop of the execution running here was requested already (its process tree is being ended). */
  private boolean isStopping(ExecutionId id) {
    Running here = runningHere.get(id);
    if (here == null) {
      return false;
    }
    synchronized (here) {
      return here.stopRequested;
    }
  }

  /** Runs an execution this process holds in {@link #runningHere}, within the concurrency limit. */
  private Transition runHeld(Execution dispatched, boolean start, Running here) {
    if (!start) {
      synchronized (here) {
        here.started = true;
        here.execution = dispatched;
      }
    }
    try {
      slots.acquire();
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return ended(executions.finish(dispatched, ExecutionStatus.CANCELLED,
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
        started(running);
      }
      synchronized (here) {
        here.started = true;
        here.execution = running;
      }
      Optional<ActionDefinition> action = catalog.find(running.actionRef());
      if (action.isEmpty()) {
        synchronized (here) {
          here.recording = true;
          running = here.execution;
        }
        String why = catalog.problem(running.actionRef()).map(p -> " cannot run on this worker: " + p)
            .orElse(" is not installed on this worker");
        return record(running, ExecutionStatus.FAILED, ExecutionResult.message("action " + running.actionRef() + why));
      }
      boolean stoppedBeforeStart;
      synchronized (here) {
        stoppedBeforeStart = here.stopRequested || running.cancelPending();
        if (stoppedBeforeStart) {
          here.recording = true;
          running = here.execution;
        } else {
          here.inAction = true;
        }
      }
      if (stoppedBeforeStart) {
        return record(running, ExecutionStatus.CANCELLED, ExecutionResult.message(STOPPED_BEFORE_START));
      }
      ActionRunner.Outcome outcome = runner.run(running.id(), action.get(), running.parameters());
      boolean stoppedOnRequest;
      synchronized (here) {
        here.inAction = false;
        here.recording = true;
        // a newer attempt may have taken the run over meanwhile: the outcome is its
        running = here.execution;
        stoppedOnRequest = here.stopRequested;
        if (stoppedOnRequest) {
          Thread.interrupted(); // ours: the recording below must not be cut short by it
        }
      }
      if (stoppedOnRequest && outcome.status() == ExecutionStatus.CANCELLED) {
        ExecutionResult stopped = outcome.result();
        outcome = new ActionRunner.Outcome(ExecutionStatus.CANCELLED, new ExecutionResult(stopped.exitCode(),
            stopped.stdout(), stopped.stderr(), stopped.result(), STOPPED));
      }
      return record(running, outcome.status(), outcome.result());
    } finally {
      slots.release();
    }
  }

  private void started(Execution started) {
    observer.executionStarted(started, Duration.between(started.requestedAt(),
        started.startedAt().orElse(started.requestedAt())));
  }

  /** Tells the observer of an end this worker recorded; a refused one was recorded elsewhere, or not at all. */
  private Transition ended(Transition recorded) {
    if (recorded.applied() && recorded.execution().status().isTerminal()) {
      observer.executionEnded(recorded.execution());
    }
    return recorded;
  }

  /** Stores the outcome, retrying with backoff while the store fails; fencing's refusal is an answer too. */
  private Transition record(Execution execution, ExecutionStatus status, ExecutionResult result) {
    Duration wait = FIRST_RETRY;
    for (int failures = 1; ; failures++) {
      try {
        return ended(executions.finish(execution, status, result, clock.instant()));
      } catch (InfrastructureException failed) {
        String reason = "the " + status.wireName() + " outcome of execution " + execution.id() + " attempt "
            + execution.attempt() + " was not stored (failure " + failures + "): " + failed.getMessage();
        try {
          pause.pause(wait, reason);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new InfrastructureException("store the outcome of execution " + execution.id(),
              "given up on shutdown after " + failures + " failures; the execution will be recovered", failed);
        }
        wait = wait.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait.multipliedBy(2);
      }
    }
  }
}
