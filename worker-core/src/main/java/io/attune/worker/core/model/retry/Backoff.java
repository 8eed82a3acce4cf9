package io.attune.worker.core.model.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait before trying again after failures in a row: {@link #first()} after the first, twice as long
 * after each further one, never longer than {@link #longest()}. The one backoff of the system: outcomes stored again
 * while the store fails, start-up steps tried again while a service is unreachable, and executions placed again after
 * their dispatch led to no run.
 */
public record Backoff(Duration first, Duration longest) {

  /** Storing an outcome again: 200 ms, doubling up to 15 s. */
  public static final Backoff OUTCOMES = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(15));

  /** A start-up step while a service is unreachable: 250 ms, doubling up to 2 s. */
  public static final Backoff START_UP = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2));

  /**
   * Placing an execution again after a dispatch that led to no run (a redelivery): 500 ms, doubling up to 8 s. The
   * default five redeliveries are then spread over about 15 s, longer than a worker's queue is missing while the
   * broker restarts and the worker reconnects, instead of being spent on that gap in a moment.
   */
  public static final Backoff REDELIVERIES = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8));

  public Backoff {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(longest, "longest");
    if (first.isNegative() || first.isZero() || longest.compareTo(first) < 0) {
      throw new IllegalArgumentException("a backoff waits a positive time, at most its longest: first " + first
          + ", longest " + longest);
    }
  }

  /** The wait after {@code failures} failures in a row (1 for the first). */
  public Duration after(int failures) {
    if (failures < 1) {
      throw new IllegalArgumentException("failures must be at least 1, was " + failures);
    }
    Duration wait = first;
    for (int i = 1; i < failures && wait.compareTo(longest) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(longest) > 0 ? longest : wait;
  }
}
