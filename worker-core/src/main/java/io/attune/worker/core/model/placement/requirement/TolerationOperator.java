package io.attune.worker.core.model.placement.requirement;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a toleration compares a taint's value. */
public enum TolerationOperator {
  EQUAL, EXISTS;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads {@code equal} or {@code exists}, ignoring case. */
  public static Optional<TolerationOperator> parse(String text) {
    return Arrays.stream(values())
        .filter(o -> text != null && o.wireName().equals(text.trim().toLowerCase(Locale.ROOT)))
        .findFirst();
  }
}
