package io.attune.worker.adapter.rabbitmq.broker;

import io.attune.worker.core.model.execution.ExecutionId;
import java.util.Objects;

/**
 * What a worker receives when an operator cancels an execution it runs: the payload of an {@code execution.cancel}
 * message. The database holds the request too; the message only spares the worker the wait for its next look.
 *
 * @param attempt the attempt to stop; a worker running another attempt ignores it
 */
public record StopMessage(ExecutionId executionId, int attempt) {
  public StopMessage {
    Objects.requireNonNull(executionId, "executionId");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt of a running execution must be at least 1, was " + attempt);
    }
  }
}
