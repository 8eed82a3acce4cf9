package io.attune.worker.core.model.placement.requirement;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One condition on a worker label, such as {@code zone in [east, west]}. */
public record MatchExpression(String key, MatchOperator operator, List<String> values) {
  public MatchExpression {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(operator, "operator");
    values = List.copyOf(values);
    boolean needsValues = operator == MatchOperator.IN || operator == MatchOperator.NOT_IN;
    if (needsValues && values.isEmpty()) {
      throw new IllegalArgumentException("match expression on '" + key + "' with operator " + operator.wireName()
          + " needs at least one value");
    }
    if (!needsValues && !values.isEmpty()) {
      throw new IllegalArgumentException("match expression on '" + key + "' with operator " + operator.wireName()
          + " takes no values");
    }
  }

  /** True when the labels satisfy this expression; {@code not_in} holds when the label is absent. */
  public boolean matches(Map<String, String> labels) {
    String value = labels.get(key);
    return switch (operator) {
      case IN -> value != null && values.contains(value);
      case NOT_IN -> value == null || !values.contains(value);
      case EXISTS -> value != null;
      case DOES_NOT_EXIST -> value == null;
    };
  }

  @Override
  public String toString() {
    return key + " " + operator.wireName() + (values.isEmpty() ? "" : " " + values);
  }
}
