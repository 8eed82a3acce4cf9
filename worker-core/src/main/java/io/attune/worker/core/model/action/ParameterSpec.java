package io.attune.worker.core.model.action;

import java.util.Objects;

/** One declared parameter of an action: its type, whether it is required, and its default. */
public record ParameterSpec(String name, ParameterType type, boolean required, Object defaultValue) {
  public ParameterSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (defaultValue != null && !type.accepts(defaultValue)) {
      throw new IllegalArgumentException("default of parameter " + name + " is not " + type.withArticle());
    }
  }
}
