package io.attune.worker.core.model.worker;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a worker runs. */
public enum WorkerType {
  LOCAL, CONTAINER, REMOTE;

  /** The lowercase name used in configuration, JSON and the database. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads {@code local}, {@code container} or {@code remote}, ignoring case. */
  public static Optional<WorkerType> parse(String text) {
    return Arrays.stream(values())
        .filter(t -> text != null && t.wireName().equals(text.trim().toLowerCase(Locale.ROOT)))
        .findFirst();
  }
}
