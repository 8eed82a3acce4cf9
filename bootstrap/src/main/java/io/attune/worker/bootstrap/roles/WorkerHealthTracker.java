package io.attune.worker.bootstrap.roles;

import io.attune.worker.core.model.health.Readiness;
import io.attune.worker.core.model.health.ServiceContact;
import io.attune.worker.core.model.health.WorkerHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What a worker process knows of its own health, kept as it works (registration, each heartbeat's result, draining)
 * and read from its connections when asked: a readiness probe costs no round trip to a service. The rules are the
 * core's {@link WorkerHealth}.
 */
final class WorkerHealthTracker {

  private final Duration staleAfter;
  private volatile boolean registered;
  private volatile boolean draining;
  private volatile ServiceContact heartbeat = ServiceContact.NONE;
  private volatile BooleanSupplier brokerConnected = () -> false;
  private volatile BooleanSupplier consuming = () -> false;
  private volatile String queue = "";

  WorkerHealthTracker(Duration staleAfter) {
    this.staleAfter = staleAfter;
  }

  /** Registered and consuming {@code queue}; the suppliers are asked on every probe and must be cheap. */
  void registered(String queue, BooleanSupplier brokerConnected, BooleanSupplier consuming) {
    this.queue = queue;
    this.brokerConnected = brokerConnected;
    this.consuming = consuming;
    this.registered = true;
  }

  synchronized void heartbeatStored(Instant at) {
    heartbeat = heartbeat.succeeded(at);
  }

  synchronized void heartbeatFailed(String why) {
    heartbeat = heartbeat.failed(why);
  }

  void draining() {
    draining = true;
  }

  /** How old the last heartbeat that reached the database is at {@code now}; empty before the first. */
  Optional<Duration> heartbeatAge(Instant now) {
    return heartbeat.age(now);
  }

  WorkerHealth health() {
    return new WorkerHealth(registered, draining, heartbeat, staleAfter, registered && brokerConnected.getAsBoolean(),
        registered && consuming.getAsBoolean(), queue);
  }

  Readiness readiness(Instant now) {
    return health().readiness(now);
  }
}
