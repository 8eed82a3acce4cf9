package io.attune.worker.core.port.out;

import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import java.util.Map;
import java.util.Objects;

/** Runs an action's entry point with its runtime's interpreter and captures what it produced. */
@FunctionalInterface
public interface ActionRunner {

  /**
   * Runs to the end or to the action's timeout. A missing interpreter or entry point is a failed outcome, not an
   * exception.
   */
  Outcome run(ExecutionId execution, ActionDefinition action, Map<String, Object> parameters);

  /** How a run ended: {@code succeeded}, {@code failed}, {@code timed_out} or {@code cancelled}. */
  record Outcome(ExecutionStatus status, ExecutionResult result) {
    public Outcome {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(result, "result");
      if (!status.isTerminal() || status == ExecutionStatus.ABANDONED || status == ExecutionStatus.UNSCHEDULABLE) {
        throw new IllegalArgumentException(status.wireName() + " is not an outcome of running an action");
      }
    }
  }
}
