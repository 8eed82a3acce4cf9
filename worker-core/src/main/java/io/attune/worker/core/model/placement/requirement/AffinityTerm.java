package io.attune.worker.core.model.placement.requirement;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Labels and expressions that a worker must all satisfy for the term to match; an empty term matches any worker. */
public record AffinityTerm(Map<String, String> matchLabels, List<MatchExpression> matchExpressions) {
  public AffinityTerm {
    matchLabels = java.util.Collections.unmodifiableMap(new TreeMap<>(matchLabels));
    matchExpressions = List.copyOf(matchExpressions);
  }

  /** A term of labels only. */
  public static AffinityTerm labels(Map<String, String> labels) {
    return new AffinityTerm(labels, List.of());
  }

  /** True when every label is present with its value and every expression holds. */
  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> wanted : matchLabels.entrySet()) {
      if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
        return false;
      }
    }
    for (MatchExpression expression : matchExpressions) {
      if (!expression.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("{");
    matchLabels.forEach((k, v) -> s.append(s.length() > 1 ? ", " : "").append(k).append('=').append(v));
    matchExpressions.forEach(e -> s.append(s.length() > 1 ? ", " : "").append(e));
    return s.append('}').toString();
  }
}
