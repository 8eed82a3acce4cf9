package io.attune.worker.core.model.action;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The JSON type a parameter must have. */
public enum ParameterType {
  STRING, INTEGER, NUMBER, BOOLEAN, OBJECT, ARRAY;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ParameterType> parse(String text) {
    return Arrays.stream(values())
        .filter(t -> text != null && t.wireName().equals(text.trim().toLowerCase(Locale.ROOT)))
        .findFirst();
  }

  /** The type with its article, for messages: "an integer", "a string". */
  public String withArticle() {
    return (this == INTEGER || this == OBJECT || this == ARRAY ? "an " : "a ") + wireName();
  }

  /** True when a JSON-like value (map, list, string, number, boolean) has this type. */
  public boolean accepts(Object value) {
    return switch (this) {
      case STRING -> value instanceof String;
      case INTEGER -> value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger
          || (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
              && !Double.isInfinite(n.doubleValue()));
      case NUMBER -> value instanceof Number;
      case BOOLEAN -> value instanceof Boolean;
      case OBJECT -> value instanceof Map;
      case ARRAY -> value instanceof List;
    };
  }

  /**
   * Reads a command-line text ({@code --param k=v}) as this type, or empty when it is not one.
   * Objects and arrays need a JSON parser and are left to the adapter.
   */
  public Optional<Object> fromText(String text) {
    try {
      return switch (this) {
        case STRING -> Optional.of(text);
        case INTEGER -> Optional.of(Long.parseLong(text.trim()));
        case NUMBER -> Optional.of(Double.parseDouble(text.trim()));
        case BOOLEAN -> text.trim().equalsIgnoreCase("true") ? Optional.of(Boolean.TRUE)
            : text.trim().equalsIgnoreCase("false") ? Optional.of(Boolean.FALSE) : Optional.empty();
        case OBJECT, ARRAY -> Optional.empty();
      };
    } catch (NumberFormatException notANumber) {
      return Optional.empty();
    }
  }
}
