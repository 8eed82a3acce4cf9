package io.attune.worker.core.model.execution;

import io.attune.worker.core.model.worker.WorkerId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One placement of an execution on a worker, from its scheduling to its end.
 *
 * @param number 1 for the first placement, counting up with each new one
 * @param outcome how the attempt ended; empty while it holds its worker
 * @param reason why it ended so, for people (e.g. why it was requeued); empty when there is nothing to add
 */
public record Attempt(int number, WorkerId worker, Instant scheduledAt, Optional<Instant> startedAt,
    Optional<Instant> endedAt, Optional<AttemptOutcome> outcome, String reason) {

  public Attempt {
    if (number < 1) {
      throw new IllegalArgumentException("attempt number must be at least 1, was " + number);
    }
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(scheduledAt, "scheduledAt");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(endedAt, "endedAt");
    Objects.requireNonNull(outcome, "outcome");
    if (endedAt.isPresent() != outcome.isPresent()) {
      throw new IllegalArgumentException("an attempt has an end time exactly when it has an outcome");
    }
    reason = reason == null ? "" : reason;
  }

  /** A new attempt, placed on the worker now. */
  public static Attempt scheduled(int number, WorkerId worker, Instant now) {
    return new Attempt(number, worker, now, Optional.empty(), Optional.empty(), Optional.empty(), "");
  }

  /** Its worker started it. */
  Attempt started(Instant now) {
    return new Attempt(number, worker, scheduledAt, Optional.of(now), endedAt, outcome, reason);
  }

  /** True once the worker started it: its action ran, or runs. */
  public boolean started() {
    return startedAt.isPresent();
  }

  /**
   * The run of this attempt reported its end after the attempt had been requeued: the outcome it ended with replaces
   * {@code requeued}. Any other attempt is left as it is.
   */
  Attempt endedLate(AttemptOutcome how, String why, Instant now) {
    if (outcome.isEmpty() || outcome.get() != AttemptOutcome.REQUEUED) {
      return this;
    }
    return new Attempt(number, worker, scheduledAt, startedAt, Optional.of(now), Optional.of(how), why);
  }

  /** It ended so; an attempt ends once, and a second end changes nothing. */
  Attempt ended(AttemptOutcome how, String why, Instant now) {
    if (outcome.isPresent()) {
      return this;
    }
    return new Attempt(number, worker, scheduledAt, startedAt, Optional.of(now), Optional.of(how), why);
  }
}
