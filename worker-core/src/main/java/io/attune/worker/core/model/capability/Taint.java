package io.attune.worker.core.model.capability;

import java.util.Objects;

/** A mark on a worker that keeps away actions which do not tolerate it. */
public record Taint(String key, String value, TaintEffect effect) {
  public Taint {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(effect, "effect");
    if (key.isBlank()) {
      throw new IllegalArgumentException("a taint needs a non-blank key");
    }
    value = value == null ? "" : value;
  }

  @Override
  public String toString() {
    return key + (value.isEmpty() ? "" : "=" + value) + ":" + effect.wireName();
  }
}
