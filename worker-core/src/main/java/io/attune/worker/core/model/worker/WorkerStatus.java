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
  INACTIVE,
  /**
   * Alive and heartbeating, but unable to take work: its dispatch queue cannot be consumed (the consumer keeps
   * losing its channel). Takes no new work until it can again; what it runs goes on and is not lost. Attune stores
   * the same name for a worker in trouble.
   */
  ERROR;

  /**
   * The status after a heartbeat: it brings an inactive worker back, and says whether the worker takes work:
   * {@code error} while it cannot, {@code active} again once it can. A draining worker stays draining.
   */
  public WorkerStatus afterBeat(boolean takingWork) {
    if (this == DRAINING) {
      return DRAINING;
    }
    return takingWork ? ACTIVE : ERROR;
  }

  /** The lowercase name used in JSON and the database. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads {@code active}, {@code draining}, {@code inactive} or {@code error}, ignoring case. */
  public static Optional<WorkerStatus> parse(String text) {
    return Arrays.stream(values())
        .filter(s -> text != null && s.wireName().equals(text.trim().toLowerCase(Locale.ROOT)))
        .findFirst();
  }
}
