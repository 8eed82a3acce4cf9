package io.attune.worker.adapter.rabbitmq.broker;

import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import java.util.Objects;

/**
 * The notification that an execution ended: the payload of an {@code execution.result} message. The database
 * holds the whole outcome; read it there.
 *
 * @param attempt the attempt that ended; 0 for an execution that was never placed (unschedulable)
 * @param status a terminal status's wire name, such as {@code succeeded} or {@code timed_out}
 */
public record ResultMessage(ExecutionId executionId, int attempt, String status) {
  public ResultMessage {
    Objects.requireNonNull(executionId, "executionId");
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must not be negative, was " + attempt);
    }
    String given = status;
    status = ExecutionStatus.parse(given).orElseThrow(() -> new IllegalArgumentException(
        "status '" + given + "' is not an execution status: expected one of succeeded, failed, timed_out, "
            + "cancelled, abandoned, unschedulable")).wireName();
  }

  /** The status as the core's type. */
  public ExecutionStatus executionStatus() {
    return ExecutionStatus.parse(status).orElseThrow();
  }
}
