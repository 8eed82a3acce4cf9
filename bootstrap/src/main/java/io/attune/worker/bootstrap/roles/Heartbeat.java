package io.attune.worker.bootstrap.roles;

import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.service.WorkerLifecycleService;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One heartbeat of a running worker, and its health file's line once the database has it. A registry that no longer
 * knows the worker (pruned meanwhile) gets it registered again under its name, with what it advertises now.
 */
final class Heartbeat implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

  private final WorkerLifecycleService lifecycle;
  private final Worker worker;
  private final Supplier<WorkerRegistration> registration;
  private final HealthFile healthFile;
  private final WorkerHealthTracker health;
  private final Clock clock;

  Heartbeat(WorkerLifecycleService lifecycle, Worker worker, Supplier<WorkerRegistration> registration,
      HealthFile healthFile, WorkerHealthTracker health, Clock clock) {
    this.lifecycle = lifecycle;
    this.worker = worker;
    this.registration = registration;
    this.healthFile = healthFile;
    this.health = health;
    this.clock = clock;
  }

  @Override
  public void run() {
    try {
      Instant at = clock.instant();
      if (!lifecycle.heartbeat(worker.id())) {
        LOG.warn("the registry no longer knows worker {}: registering again", worker.name());
        Worker again = lifecycle.register(registration.get());
        if (!again.id().equals(worker.id())) {
          // its queue and its consumer belong to the old id: nothing is dispatched to the new one until a restart
          LOG.warn("worker {} registered again under a new id {} (was {}): restart it to take work", worker.name(),
              again.id(), worker.id());
        }
      }
      healthFile.heartbeatStored(at);
      health.heartbeatStored(at);
    } catch (RuntimeException failed) {
      health.heartbeatFailed(failed.getMessage());
      LOG.warn("heartbeat of worker {} failed: {}", worker.name(), failed.getMessage());
    }
  }
}
