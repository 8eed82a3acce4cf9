package io.attune.worker.core.service;

import io.attune.worker.core.model.execution.Execution;
import java.util.OptionalInt;

/**
 * One execution running in this process: the thread that runs it, the attempt its run belongs to (a newer attempt
 * placed on this worker may take the run over) and how far the run has got. Every step holds the run's lock, so that
 * a stop, a takeover and the run's own steps see one another in order; a caller that must do more under the same lock
 * (a takeover's store call) synchronizes on the run itself.
 */
final class LocalRun {

  /** Where a run stands once its action has ended: the execution its outcome is for, and whether it was stopped. */
  record Ended(Execution execution, boolean stoppedOnRequest) {
  }

  private final Thread thread = Thread.currentThread();
  private int attempt;
  /** The execution as its current attempt started it, once it has. */
  private Execution execution;
  private boolean started;
  private boolean stopRequested;
  private boolean inAction;
  /** The action has ended and its outcome is being recorded: no attempt may take the run over any more. */
  private boolean recording;

  /** A run of {@code attempt} on the calling thread. */
  LocalRun(int attempt) {
    this.attempt = attempt;
  }

  synchronized int attempt() {
    return attempt;
  }

  /** The attempt has started: here, or by an earlier start of this worker that this run resumes. */
  synchronized void started(Execution started) {
    this.started = true;
    this.execution = started;
  }

  /** Whether a newer attempt may take the run over: it has started and is not recording its outcome yet. */
  synchronized boolean takeable() {
    return started && !recording;
  }

  /** Whether the run is recording its outcome, which then ends the execution. */
  synchronized boolean recording() {
    return recording;
  }

  /** A newer attempt, started here, takes the run over: the run's outcome is recorded for it. */
  synchronized void takenOverBy(Execution newer) {
    attempt = newer.attempt();
    execution = newer;
  }

  /** The run records an outcome without running the action; returns the execution it is for. */
  synchronized Execution recordWithoutAction() {
    recording = true;
    return execution;
  }

  /**
   * Called just before the action begins. True when a stop came first (requested here, or a cancel the store already
   * holds): the run then records its outcome instead. Otherwise the action begins, and a stop interrupts this thread.
   */
  synchronized boolean stoppedBeforeAction() {
    if (stopRequested || execution.cancelPending()) {
      recording = true;
      return true;
    }
    inAction = true;
    return false;
  }

  /**
   * Called once the action has ended. A newer attempt may have taken the run over meanwhile: the outcome is its. An
   * interrupt sent to stop the action is cleared, so that it cannot cut the recording of the outcome short.
   */
  synchronized Ended actionEnded() {
    inAction = false;
    recording = true;
    if (stopRequested) {
      Thread.interrupted();
    }
    return new Ended(execution, stopRequested);
  }

  /** Asks the run of {@code attempt} to stop; false when this run belongs to another attempt. */
  synchronized boolean stop(int attempt) {
    if (this.attempt != attempt) {
      return false;
    }
    stopRequested = true;
    if (inAction) {
      thread.interrupt();
    }
    return true;
  }

  /** Whether a stop was requested already (its process tree is being ended). */
  synchronized boolean stopping() {
    return stopRequested;
  }

  /** The attempt of a run that could still be taken from this worker: started, not recording, not being stopped. */
  synchronized OptionalInt liveAttempt() {
    return started && !recording && !stopRequested ? OptionalInt.of(attempt) : OptionalInt.empty();
  }

  /** The run leaves this process: an interrupt sent to stop it is not left for the thread's next work. */
  synchronized void left() {
    if (stopRequested) {
      Thread.interrupted();
    }
  }
}
