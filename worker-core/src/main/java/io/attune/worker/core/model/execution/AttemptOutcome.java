package io.attune.worker.core.model.execution;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How an attempt ended: as its execution did, {@code requeued} when it was lost and another attempt follows, or
 * {@code superseded} when it had not started yet and the run of an earlier attempt ended the execution.
 */
public enum AttemptOutcome {
  SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, ABANDONED, REQUEUED, SUPERSEDED;

  /** The lowercase name used in JSON. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads a wire name such as {@code timed_out}. */
  public static Optional<AttemptOutcome> parse(String text) {
    return Arrays.stream(values()).filter(o -> o.wireName().equals(text)).findFirst();
  }

  /** The outcome of an attempt whose execution ended in the given status. */
  static AttemptOutcome of(ExecutionStatus ended) {
    return switch (ended) {
      case SUCCEEDED -> SUCCEEDED;
      case FAILED -> FAILED;
      case TIMED_OUT -> TIMED_OUT;
      case CANCELLED -> CANCELLED;
      case ABANDONED -> ABANDONED;
      case REQUESTED -> REQUEUED;
      default -> throw new IllegalArgumentException(ended.wireName() + " does not end an attempt");
    };
  }
}
