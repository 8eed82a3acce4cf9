package io.attune.worker.core.model.execution;

import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A request to run an action once, with its parameters. */
public record ExecutionRequest(ActionRequirements requirements, Map<String, Object> parameters) {
  public ExecutionRequest {
    Objects.requireNonNull(requirements, "requirements");
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }
}
