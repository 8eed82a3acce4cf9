package io.attune.worker.core.service;

import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.retry.Backoff;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.RetryPause;
import io.attune.worker.core.port.out.WorkerRuns;
import java.time.Clock;
import java.time.Duration;

/**
 * Records the starts and outcomes of this worker's runs and makes them known. An outcome is never dropped
 * because the store failed: it is retried with backoff until it is stored or refused by fencing, and only an interrupt
 * (the worker shutting down) gives up.
 */
final class OutcomeRecorder {

  private final WorkerRuns executions;
  private final Clock clock;
  private final RetryPause pause;
  private final ExecutionObserver observer;
  private final Ends ends;

  OutcomeRecorder(WorkerRuns executions, Clock clock, RetryPause pause, ExecutionObserver observer, Ends ends) {
    this.executions = executions;
    this.clock = clock;
    this.pause = pause;
    this.observer = observer;
    this.ends = ends;
  }

  /** Tells the observer of an attempt this worker started. */
  void started(Execution started) {
    observer.executionStarted(started, Duration.between(started.requestedAt(),
        started.startedAt().orElse(started.requestedAt())));
  }

  /** Makes known an end this worker recorded; a refused one was recorded elsewhere, or not at all. */
  Transition ended(Transition recorded) {
    return ends.ifEnded(recorded);
  }

  /** Stores the outcome, retrying with backoff while the store fails; fencing's refusal is an answer too. */
  Transition record(Execution execution, ExecutionStatus status, ExecutionResult result) {
    for (int failures = 1; ; failures++) {
      try {
        return ended(executions.finish(execution, status, result, clock.instant()));
      } catch (InfrastructureException failed) {
        String reason = "the " + status.wireName() + " outcome of execution " + execution.id() + " attempt "
            + execution.attempt() + " was not stored (failure " + failures + "): " + failed.getMessage();
        try {
          pause.pause(Backoff.OUTCOMES.after(failures), reason);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new InfrastructureException("store the outcome of execution " + execution.id(),
              "given up on shutdown after " + failures + " failures; the execution will be recovered", failed);
        }
      }
    }
  }
}
