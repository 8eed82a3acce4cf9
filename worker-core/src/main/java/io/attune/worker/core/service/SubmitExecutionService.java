package io.attune.worker.core.service;

import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ParameterCheck;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.port.in.SubmitExecutionUseCase;
import io.attune.worker.core.port.out.ActionCatalog;
import io.attune.worker.core.port.out.ExecutionStore;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** Checks a request against the action's declaration and records it as a requested execution. */
public final class SubmitExecutionService implements SubmitExecutionUseCase {

  private final ActionCatalog catalog;
  private final ExecutionStore executions;
  private final Clock clock;

  public SubmitExecutionService(ActionCatalog catalog, ExecutionStore executions, Clock clock) {
    this.catalog = catalog;
    this.executions = executions;
    this.clock = clock;
  }

  @Override
  public Submission submit(String actionRef, Map<String, Object> parameters) {
    Optional<ActionDefinition> action = catalog.find(actionRef);
    if (action.isEmpty()) {
      return new Submission.UnknownAction(actionRef, catalog.all().stream().map(a -> a.ref().toString()).toList());
    }
    ParameterCheck check = action.get().check(parameters);
    if (check instanceof ParameterCheck.Invalid invalid) {
      return new Submission.InvalidParameters(actionRef, invalid.problems());
    }
    Map<String, Object> resolved = ((ParameterCheck.Valid) check).parameters();
    return new Submission.Accepted(
        executions.create(new ExecutionRequest(action.get().requirements(), resolved), clock.instant()));
  }
}
