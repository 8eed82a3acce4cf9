package io.attune.worker.core.model.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a scheduler process knows of itself, and the rules that make it ready: started, the database answering its
 * periodic queries (the latest one succeeded, and one did within {@link #DATABASE_SILENCE}), and connected to the broker.
 *
 * @param started start-up is over: connected and consuming requests and results
 * @param database what its periodic queries of the database (the fleet count, every second) last did
 * @param brokerConnected the connection to RabbitMQ is up
 */
public record SchedulerHealth(boolean started, ServiceContact database, boolean brokerConnected) {

  /**
   * How long the periodic queries may go without the database answering before the scheduler counts as cut off
   * from it: far above their interval (one second), so a slow query under load does not count.
   */
  public static final Duration DATABASE_SILENCE = Duration.ofSeconds(30);

  public SchedulerHealth {
    Objects.requireNonNull(database, "database");
  }

  /** A scheduler that is starting. */
  public static SchedulerHealth starting() {
    return new SchedulerHealth(false, ServiceContact.NONE, false);
  }

  /** Readiness at {@code now}. */
  public Readiness readiness(Instant now) {
    List<String> reasons = new ArrayList<>();
    if (!started) {
      reasons.add("starting: not connected to PostgreSQL and RabbitMQ yet");
      return new Readiness(reasons);
    }
    database.problem("query of the database", DATABASE_SILENCE, now).ifPresent(reasons::add);
    if (!brokerConnected) {
      reasons.add("not connected to RabbitMQ");
    }
    return new Readiness(reasons);
  }
}
