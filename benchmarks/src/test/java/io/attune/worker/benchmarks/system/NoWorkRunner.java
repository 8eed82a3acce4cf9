package io.attune.worker.benchmarks.system;

import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.port.out.ActionRunner;
import java.util.Map;
import java.util.Optional;

/**
 * A benchmark-only runner that does no work: every action succeeds at once with an empty result, so that the
 * end-to-end figures are the orchestration's own (store, place, dispatch, start, finish, announce).
 */
final class NoWorkRunner implements ActionRunner {

  @Override
  public Outcome run(ExecutionId execution, ActionDefinition action, Map<String, Object> parameters) {
    return new Outcome(ExecutionStatus.SUCCEEDED,
        new ExecutionResult(Optional.of(0), "{}\n", "", Map.of(), "exit code 0"));
  }
}
