package io.attune.worker.core.model.placement.requirement;

import java.util.List;
import java.util.Map;

/**
 * Where an action wants to run: required terms (at least one must match), preferred terms (weights add up to a
 * score) and anti-affinity terms (none may match).
 */
public record Affinity(List<AffinityTerm> required, List<WeightedTerm> preferred, List<AffinityTerm> antiAffinity) {
  private static final Affinity NONE = new Affinity(List.of(), List.of(), List.of());

  public Affinity {
    required = List.copyOf(required);
    preferred = List.copyOf(preferred);
    antiAffinity = List.copyOf(antiAffinity);
  }

  /** No affinity at all. */
  public static Affinity none() {
    return NONE;
  }

  /** The sum of the weights of the preferred terms that the labels match. */
  public int preferenceScore(Map<String, String> labels) {
    int score = 0;
    for (WeightedTerm term : preferred) {
      if (term.preference().matches(labels)) {
        score += term.weight();
      }
    }
    return score;
  }
}
