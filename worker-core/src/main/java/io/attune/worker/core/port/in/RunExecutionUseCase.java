package io.attune.worker.core.port.in;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.worker.WorkerId;

/** A worker runs an execution dispatched to it and records how it ended. */
public interface RunExecutionUseCase {

  /** Runs the execution's current attempt; refused when the execution moved on (it was recovered elsewhere). */
  Transition run(Execution dispatched);

  /**
   * What a worker makes of a dispatch message for an attempt of an execution: it runs the attempt when that attempt
   * is this worker's and is not running here yet, and ignores it otherwise (a stale or repeated message).
   *
   * @param self the worker that received the message
   */
  Handling handleDispatch(ExecutionId execution, int attempt, WorkerId self);

  /** The answer to {@link #handleDispatch}. */
  sealed interface Handling {
    /** The attempt ran; the transition is how its end was recorded (or why it was refused). */
    record Ran(Transition outcome) implements Handling {
    }

    /** Nothing to do: the message is stale, repeated, or about an execution this worker does not hold. */
    record Ignored(String reason) implements Handling {
    }

    /**
     * The attempt was placed on another worker: the message reached this one by mistake or was forged. It is not
     * run here; the transport should dead-letter it with the reason.
     */
    record Misrouted(String reason) implements Handling {
    }

    /**
     * The attempt was started here and took over the run of an older attempt of the same execution, which still
     * runs on this worker: the run's outcome will be recorded for it. Nothing more to do for this message.
     */
    record TookOver(String reason) implements Handling {
    }

    /**
     * This process does not hold its worker's name any more (or cannot confirm it): another process may, consuming
     * the same queue. Nothing was started; the transport should hand the message back for that process.
     */
    record NotHeld(String reason) implements Handling {
    }
  }
}
