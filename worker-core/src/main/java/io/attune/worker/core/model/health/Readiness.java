package io.attune.worker.core.model.health;

import java.util.List;

/**
 * Whether a process is ready, with every reason it is not (not only the first).
 *
 * @param reasons why it is not ready, in the order of the rules; empty when it is
 */
public record Readiness(List<String> reasons) {

  public Readiness {
    reasons = List.copyOf(reasons);
  }

  public boolean ready() {
    return reasons.isEmpty();
  }
}
