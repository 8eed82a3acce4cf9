package io.attune.worker.core.model.execution;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The bookkeeping of an execution's attempts, kept apart from the rules of its transitions ({@link Execution}): which
 * attempt has a number, how many ran or were redelivered, and the list with an attempt added or changed. Lists in,
 * new lists out; an execution stored before attempts were kept has an empty list, and each answer says what it
 * means then.
 */
final class AttemptBook {

  private AttemptBook() {
  }

  /** The attempt with this number, when the list has it. */
  static Optional<Attempt> numbered(List<Attempt> attempts, int number) {
    return attempts.stream().filter(a -> a.number() == number).findFirst();
  }

  /** How many attempts started a run; without a list, each of the {@code current} attempts counts as one. */
  static int runs(List<Attempt> attempts, int current) {
    if (attempts.isEmpty()) {
      return current;
    }
    return (int) attempts.stream().filter(Attempt::started).count();
  }

  /** How many attempts were requeued without ever starting. */
  static int redeliveries(List<Attempt> attempts) {
    return (int) attempts.stream()
        .filter(a -> !a.started() && a.outcome().equals(Optional.of(AttemptOutcome.REQUEUED)))
        .count();
  }

  /** The attempts with {@code next} added last. */
  static List<Attempt> appended(List<Attempt> attempts, Attempt next) {
    List<Attempt> all = new ArrayList<>(attempts);
    all.add(next);
    return all;
  }

  /**
   * The attempts with the current one changed; unchanged when the current attempt is not in the list (an execution
   * stored before attempts were kept).
   */
  static List<Attempt> withCurrent(List<Attempt> attempts, int current, UnaryOperator<Attempt> change) {
    if (attempts.isEmpty() || attempts.get(attempts.size() - 1).number() != current) {
      return attempts;
    }
    List<Attempt> all = new ArrayList<>(attempts);
    all.set(all.size() - 1, change.apply(all.get(all.size() - 1)));
    return all;
  }

  /**
   * The attempts once the run of {@code ran} ended the execution after its attempt had been requeued: that attempt
   * ends late with the run's outcome, and the current attempt, when it is {@code superseded} (placed, not started),
   * ends as superseded.
   */
  static List<Attempt> endedByLateRun(List<Attempt> attempts, Attempt ran, int current, boolean superseded,
      AttemptOutcome outcome, String message, Instant now) {
    List<Attempt> all = new ArrayList<>();
    for (Attempt a : attempts) {
      if (a.number() == ran.number()) {
        all.add(a.endedLate(outcome, message + " (its run ended after the attempt had been requeued)", now));
      } else if (a.number() == current && superseded) {
        all.add(a.ended(AttemptOutcome.SUPERSEDED, "not started: the run of attempt " + ran.number()
            + " on worker " + ran.worker() + " ended the execution", now));
      } else {
        all.add(a);
      }
    }
    return all;
  }

}
