package io.attune.worker.core.model.execution;

import java.util.Objects;

/** The answer to a requested change of an execution: applied, or refused with the reason. */
public sealed interface Transition {

  /** The change was made. */
  record Applied(Execution execution) implements Transition {
    public Applied {
      Objects.requireNonNull(execution, "execution");
    }
  }

  /** The change was refused: the execution is unchanged. */
  record Refused(Execution execution, String reason) implements Transition {
    public Refused {
      Objects.requireNonNull(execution, "execution");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The execution after the attempt, changed or not. */
  Execution execution();

  default boolean applied() {
    return this instanceof Applied;
  }
}
