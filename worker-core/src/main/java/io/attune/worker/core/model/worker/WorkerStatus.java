package io.attune.worker.core.model.worker;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Whether a worker takes part in scheduling. */
public enum WorkerStatus {
  /** Registered and willing to take work. */
  ACTIVE,
  /** Shutting down: finishing what it runs, taking no new work; still heartbeating, so what it holds is not lost. */
  DRAINING,
  /** Shut down, or marked unreachable by the liveness monitor. */
  INACTIVE;

  /** The lowercase name used in JSON and the database. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads {@code active}, {@code draining} or {@code inactive}, ignoring case. */
  public static Optional<WorkerStatus> parse(String text) {
    return Arrays.stream(values())
        .filter(s -> text != null && s.wireName().equals(text.trim().toLowerCase(Locale.ROOT)))
        .findFirst();
  }
}
