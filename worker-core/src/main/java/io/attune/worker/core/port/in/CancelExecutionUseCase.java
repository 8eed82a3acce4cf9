package io.attune.worker.core.port.in;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import java.util.Objects;
import java.util.Optional;

/** An operator cancels an execution. */
public interface CancelExecutionUseCase {

  /**
   * Cancels the execution: at once when no process runs for it (requested, or scheduled and not started); a running
   * one is recorded as to be cancelled and its worker is told to end its process tree. An ended one is left alone.
   */
  Cancellation cancel(ExecutionId id);

  /** The answer to {@link #cancel}. */
  sealed interface Cancellation {

    /** It was cancelled at once: no process ran for it, and none will. */
    record Cancelled(Execution execution) implements Cancellation {
    }

    /**
     * It runs: the cancel is recorded, and its worker ends the process tree and records it as cancelled.
     *
     * @param signalFailure why the worker could not be told right away, if so: it then notices the request at its
     *     next look at the store, or recovery ends the execution as cancelled should the worker be lost
     */
    record StopRequested(Execution execution, Optional<String> signalFailure) implements Cancellation {
      public StopRequested {
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(signalFailure, "signalFailure");
      }
    }

    /** A cancel was requested before and its worker has not ended it yet; the worker was told again. */
    record AlreadyRequested(Execution execution) implements Cancellation {
    }

    /** It had already ended; nothing was changed. */
    record AlreadyEnded(Execution execution) implements Cancellation {
    }

    /** There is no execution with this id. */
    record Unknown(ExecutionId id) implements Cancellation {
    }
  }
}
