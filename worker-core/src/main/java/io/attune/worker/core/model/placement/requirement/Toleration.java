package io.attune.worker.core.model.placement.requirement;

import io.attune.worker.core.model.capability.Taint;
import io.attune.worker.core.model.capability.TaintEffect;
import java.util.Objects;
import java.util.Optional;

/**
 * Lets an action run on a worker despite a matching taint.
 *
 * @param key the taint key; empty with {@code exists} tolerates every taint
 * @param operator {@code equal} compares values, {@code exists} ignores them
 * @param value the value {@code equal} needs
 * @param effect the effect tolerated; empty tolerates every effect
 */
public record Toleration(String key, TolerationOperator operator, String value, Optional<TaintEffect> effect) {
  public Toleration {
    key = key == null ? "" : key;
    Objects.requireNonNull(operator, "operator");
    value = value == null ? "" : value;
    Objects.requireNonNull(effect, "effect");
    if (key.isEmpty() && operator != TolerationOperator.EXISTS) {
      throw new IllegalArgumentException("a toleration without key must use operator exists");
    }
  }

  /** True when this toleration covers the taint. */
  public boolean tolerates(Taint taint) {
    if (effect.isPresent() && effect.get() != taint.effect()) {
      return false;
    }
    if (key.isEmpty()) {
      return true;
    }
    if (!key.equals(taint.key())) {
      return false;
    }
    return operator == TolerationOperator.EXISTS || value.equals(taint.value());
  }
}
