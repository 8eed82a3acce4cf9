package io.attune.worker.core.model.execution;

import io.attune.worker.core.model.retry.Backoff;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When a redelivery may be placed: an execution whose last attempt was requeued without starting (its dispatch never
 * reached a worker, or reached one that was lost before starting it) waits the backoff after as many redeliveries as
 * it had, counted from its requeue. Any other waiting execution is placed at once.
 *
 * <p>Without the pause, a worker whose queue is missing for a few seconds (the broker restarted, the worker has not
 * reconnected yet) returns each dispatch at once, and the execution spends every redelivery it is allowed on that
 * gap and is abandoned without ever running.
 */
public record RedeliveryPace(Backoff backoff) {

  /** The system's pace: {@link Backoff#REDELIVERIES}. */
  public static final RedeliveryPace DEFAULT = new RedeliveryPace(Backoff.REDELIVERIES);

  public RedeliveryPace {
    Objects.requireNonNull(backoff, "backoff");
  }

  /** The instant before which the waiting execution is not placed again; empty when it may be placed now. */
  public Optional<Instant> notBefore(Execution waiting) {
    List<Attempt> attempts = waiting.attempts();
    if (waiting.status() != ExecutionStatus.REQUESTED || attempts.isEmpty()) {
      return Optional.empty();
    }
    Attempt last = attempts.get(attempts.size() - 1);
    if (last.started() || !last.outcome().equals(Optional.of(AttemptOutcome.REQUEUED))) {
      return Optional.empty();
    }
    return Optional.of(waiting.since().plus(backoff.after(waiting.redeliveries())));
  }
}
