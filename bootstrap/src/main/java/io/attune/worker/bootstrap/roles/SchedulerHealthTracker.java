package io.attune.worker.bootstrap.roles;

import io.attune.worker.core.model.health.Readiness;
import io.attune.worker.core.model.health.SchedulerHealth;
import io.attune.worker.core.model.health.ServiceContact;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * What a scheduler process knows of its own health: whether it has started, what its periodic count of the fleet
 * (a query every second) last got from the database, and its broker connection, read when asked. The rules are the
 * core's {@link SchedulerHealth}.
 */
final class SchedulerHealthTracker {

  private volatile boolean started;
  private volatile ServiceContact database = ServiceContact.NONE;
  private volatile BooleanSupplier brokerConnected = () -> false;

  /** Connected and consuming; the supplier is asked on every probe and must be cheap. */
  void started(BooleanSupplier brokerConnected) {
    this.brokerConnected = brokerConnected;
    this.started = true;
  }

  synchronized void databaseAnswered(Instant at) {
    database = database.succeeded(at);
  }

  synchronized void databaseFailed(String why) {
    database = database.failed(why);
  }

  SchedulerHealth health() {
    return new SchedulerHealth(started, database, started && brokerConnected.getAsBoolean());
  }

  Readiness readiness(Instant now) {
    return health().readiness(now);
  }
}
