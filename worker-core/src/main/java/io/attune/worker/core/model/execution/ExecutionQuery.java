package io.attune.worker.core.model.execution;

import io.attune.worker.core.model.action.ref.ActionRef;
import java.util.Objects;
import java.util.Optional;

/**
 * Which executions to list, newest first: those in a status, of an action, at most {@code limit} of them.
 */
public record ExecutionQuery(Optional<ExecutionStatus> status, Optional<ActionRef> action, int limit) {

  /** The most a single listing returns. */
  public static final int MAX_LIMIT = 10_000;

  public ExecutionQuery {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(action, "action");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", was " + limit);
    }
  }

  /** The newest executions, whatever their status and action. */
  public static ExecutionQuery newest(int limit) {
    return new ExecutionQuery(Optional.empty(), Optional.empty(), limit);
  }

  /** True when the execution is one this query asks for (the limit aside). */
  public boolean matches(Execution execution) {
    return status.map(s -> execution.status() == s).orElse(true)
        && action.map(a -> execution.actionRef().equals(a)).orElse(true);
  }
}
