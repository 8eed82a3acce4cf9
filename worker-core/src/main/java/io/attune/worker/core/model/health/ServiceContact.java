package io.attune.worker.core.model.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a process last learnt of a service from the work it does anyway (a heartbeat, a sweep): when it last
 * answered, and whether the latest try failed. No probe of its own.
 *
 * @param lastSuccess when the service last answered; empty when it never has
 * @param lastFailure the failure of the latest try, when the latest try failed
 */
public record ServiceContact(Optional<Instant> lastSuccess, Optional<String> lastFailure) {

  /** No contact yet. */
  public static final ServiceContact NONE = new ServiceContact(Optional.empty(), Optional.empty());

  public ServiceContact {
    Objects.requireNonNull(lastSuccess, "lastSuccess");
    Objects.requireNonNull(lastFailure, "lastFailure");
  }

  /** The service answered at {@code at}. */
  public ServiceContact succeeded(Instant at) {
    return new ServiceContact(Optional.of(at), Optional.empty());
  }

  /** The latest try failed; when it last answered is kept. */
  public ServiceContact failed(String why) {
    return new ServiceContact(lastSuccess, Optional.of(why));
  }

  /** How long ago it last answered; empty when it never has. */
  public Optional<Duration> age(Instant now) {
    return lastSuccess.map(at -> Duration.between(at, now));
  }

  /**
   * Why the service does not count as reachable at {@code now}, or empty when it does: the latest try failed, it
   * never answered, or its last answer is {@code staleAfter} old or older.
   *
   * @param what how the reason names the contact, e.g. "heartbeat"
   */
  public Optional<String> problem(String what, Duration staleAfter, Instant now) {
    if (lastFailure.isPresent()) {
      return Optional.of("the last " + what + " failed: " + lastFailure.get());
    }
    if (lastSuccess.isEmpty()) {
      return Optional.of("no " + what + " has succeeded yet");
    }
    Duration age = Duration.between(lastSuccess.get(), now);
    if (age.compareTo(staleAfter) >= 0) {
      return Optional.of("the last " + what + " succeeded " + age.toSeconds() + " s ago (stale after "
          + staleAfter.toSeconds() + " s)");
    }
    return Optional.empty();
  }
}
