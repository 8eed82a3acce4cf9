package io.attune.worker.core.model.worker;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Whether a worker takes part in scheduling. */
public enum WorkerStatus {
  /** Registered and willing to take work. */
  ACTIVE,
  /** Shut down, or marked unreachable by the liveness monitor. */
  INACTIVE;

  /** The lowercase name used in JSON and the database. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads {@code active} or {@code inactive}, ignoring case. */
  public static Optional<WorkerStatus> parse(String text) {
    return Arrays.stream(values())
        .filter(s -> text != null && s.wireName().equals(text.trim().toLowerCase(Locale.ROOT)))
        .findFirst();
  }
}
