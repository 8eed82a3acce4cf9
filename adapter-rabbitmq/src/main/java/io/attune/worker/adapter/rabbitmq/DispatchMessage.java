package io.attune.worker.adapter.rabbitmq;

import io.attune.worker.core.model.execution.ExecutionId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a worker receives for one attempt of an execution: the payload of an {@code execution.dispatch} message.
 *
 * @param attempt the attempt this dispatch belongs to, from 1; results of other attempts are refused by the core
 * @param parameters the action's parameters as JSON values (maps, lists, strings, numbers, booleans, nulls)
 */
public record DispatchMessage(ExecutionId executionId, int attempt, String actionRef, Map<String, Object> parameters) {
  public DispatchMessage {
    Objects.requireNonNull(executionId, "executionId");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt of a dispatched execution must be at least 1, was " + attempt);
    }
    if (actionRef == null || actionRef.isBlank()) {
      throw new IllegalArgumentException("action_ref must not be blank");
    }
    // JSON null is a legal parameter value, so no Map.copyOf
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(parameters, "parameters")));
  }
}
