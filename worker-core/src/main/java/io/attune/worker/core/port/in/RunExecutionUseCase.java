package io.attune.worker.core.port.in;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.Transition;

/** A worker runs an execution dispatched to it and records how it ended. */
public interface RunExecutionUseCase {

  /** Runs the execution's current attempt; refused when the execution moved on (it was recovered elsewhere). */
  Transition run(Execution dispatched);
}
