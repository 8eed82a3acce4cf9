package io.attune.worker.core.model.placement.requirement;

import java.util.Objects;

/** A preferred affinity term: a worker it matches gains the weight (1..100) in ranking. */
public record WeightedTerm(int weight, AffinityTerm preference) {
  public WeightedTerm {
    if (weight < 1 || weight > 100) {
      throw new IllegalArgumentException("preferred affinity weight must be 1..100, was " + weight);
    }
    Objects.requireNonNull(preference, "preference");
  }
}
