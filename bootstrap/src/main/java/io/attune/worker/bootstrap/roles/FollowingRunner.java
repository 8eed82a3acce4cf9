package io.attune.worker.bootstrap.roles;

import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.port.out.ActionRunner;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The worker's runner, replaced when a re-probe finds other interpreters: an execution starts with the runner of the
 * moment and keeps it to the end, so what is already running is not disturbed.
 */
final class FollowingRunner implements ActionRunner {

  private final AtomicReference<ActionRunner> current;

  FollowingRunner(ActionRunner first) {
    this.current = new AtomicReference<>(Objects.requireNonNull(first, "first"));
  }

  /** Executions started from now on use {@code next}. */
  void replace(ActionRunner next) {
    current.set(Objects.requireNonNull(next, "next"));
  }

  @Override
  public Outcome run(ExecutionId execution, ActionDefinition action, Map<String, Object> parameters) {
    return current.get().run(execution, action, parameters);
  }
}
