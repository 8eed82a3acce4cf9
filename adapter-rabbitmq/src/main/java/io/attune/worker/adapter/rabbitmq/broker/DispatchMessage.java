package io.attune.worker.adapter.rabbitmq.broker;

import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.execution.ExecutionId;
import java.util.Objects;

/**
 * What a worker receives for one attempt of an execution: the payload of an {@code execution.dispatch} message.
 * Ids only: the worker reads the execution, parameters included, from the database, so a message stays small
 * whatever the parameters (a {@code parameters} field of an older sender is ignored).
 *
 * @param attempt the attempt this dispatch belongs to, from 1; results of other attempts are refused by the core
 * @param actionRef the action, for the logs of whoever reads the queue
 */
public record DispatchMessage(ExecutionId executionId, int attempt, ActionRef actionRef) {
  public DispatchMessage {
    Objects.requireNonNull(executionId, "executionId");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt of a dispatched execution must be at least 1, was " + attempt);
    }
    Objects.requireNonNull(actionRef, "actionRef");
  }
}
