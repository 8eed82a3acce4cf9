package io.attune.worker.core.model.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a worker process knows of itself, and the rules that make it ready: registered, not draining, its heartbeat
 * reaching the database (the latest one succeeded and is younger than the staleness the scheduler applies),
 * connected to the broker and consuming its queue. Every rule is checked and every failing one named.
 *
 * @param registered the worker has registered (start-up is over)
 * @param draining it is shutting down and takes no new work
 * @param heartbeat what the heartbeats to the database last did
 * @param staleAfter how old a heartbeat may get before the scheduler takes the worker for lost
 * @param brokerConnected the connection to RabbitMQ is up
 * @param consuming its consumer of the worker queue is active
 * @param queue the worker queue's name, for the reason; empty before registration
 */
public record WorkerHealth(boolean registered, boolean draining, ServiceContact heartbeat, Duration staleAfter,
    boolean brokerConnected, boolean consuming, String queue) {

  public WorkerHealth {
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(staleAfter, "staleAfter");
    Objects.requireNonNull(queue, "queue");
  }

  /** A worker that is starting: not registered, nothing known yet. */
  public static WorkerHealth starting(Duration staleAfter) {
    return new WorkerHealth(false, false, ServiceContact.NONE, staleAfter, false, false, "");
  }

  /** Readiness at {@code now}. */
  public Readiness readiness(Instant now) {
    List<String> reasons = new ArrayList<>();
    if (!registered) {
      reasons.add("not registered yet");
      return new Readiness(reasons);
    }
    if (draining) {
      reasons.add("draining: takes no new work");
    }
    heartbeat.problem("heartbeat", staleAfter, now).ifPresent(reasons::add);
    if (!brokerConnected) {
      reasons.add("not connected to RabbitMQ");
    }
    if (!consuming || !brokerConnected) {
      reasons.add("not consuming its queue " + queue);
    }
    return new Readiness(reasons);
  }
}
