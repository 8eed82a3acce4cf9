package io.attune.worker.core.model.action;

import java.util.List;
import java.util.Objects;

/**
 * One declared parameter of an action: its type, whether it is required, and its default. Neither its name nor its
 * default holds a NUL character ({@link NulCharacters}).
 */
public record ParameterSpec(String name, ParameterType type, boolean required, Object defaultValue) {
  public ParameterSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (NulCharacters.in(name)) {
      throw new IllegalArgumentException("parameter name '" + NulCharacters.printable(name) + "' holds a NUL "
          + "character (U+0000): no request could give it");
    }
    if (defaultValue != null && !type.accepts(defaultValue)) {
      throw new IllegalArgumentException("default of parameter " + name + " is not " + type.withArticle());
    }
    List<String> nul = NulCharacters.pathsIn("default", defaultValue);
    if (!nul.isEmpty()) {
      throw new IllegalArgumentException("default of parameter " + name + " holds a NUL character (U+0000) at "
          + String.join(", ", nul) + ", which cannot be stored");
    }
  }
}
