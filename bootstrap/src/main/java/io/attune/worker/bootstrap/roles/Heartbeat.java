package io.attune.worker.bootstrap.roles;

import io.attune.worker.core.embed.NameLease;
import io.attune.worker.core.error.WorkerNameTakenException;
import io.attune.worker.core.model.worker.ProcessInstance;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerBeat;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.service.WorkerLifecycleService;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One heartbeat of a running worker process, and its health file's line once the database has it. The beat says
 * whether the worker takes work (it cannot while its dispatch queue cannot be consumed: the registry then marks it
 * {@code error} and no scheduler chooses it). A registry that no longer knows the worker (pruned meanwhile) gets it
 * registered again under its name. A registry that says another process holds the name now ends this one's
 * ownership: {@code nameLost} is told, once.
 */
final class Heartbeat implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

  private final WorkerLifecycleService lifecycle;
  private final Worker worker;
  private final ProcessInstance me;
  private final Supplier<WorkerRegistration> registration;
  private final BooleanSupplier takingWork;
  private final Consumer<String> nameLost;
  private final HealthFile healthFile;
  private final WorkerHealthTracker health;
  private final Clock clock;
  private final NameLease lease;
  private boolean wasTakingWork = true;

  Heartbeat(WorkerLifecycleService lifecycle, Worker worker, ProcessInstance me,
      Supplier<WorkerRegistration> registration, BooleanSupplier takingWork, Consumer<String> nameLost,
      HealthFile healthFile, WorkerHealthTracker health, Clock clock, NameLease lease) {
    this.lifecycle = lifecycle;
    this.worker = worker;
    this.me = me;
    this.registration = registration;
    this.takingWork = takingWork;
    this.nameLost = nameLost;
    this.healthFile = healthFile;
    this.health = health;
    this.clock = clock;
    this.lease = lease;
  }

  /** One beat; also run at once by a dispatch after a gap ({@link NameLease}), hence one at a time. */
  @Override
  public synchronized void run() {
    try {
      Instant at = clock.instant();
      boolean taking = takingWork.getAsBoolean();
      WorkerBeat.Outcome outcome = lifecycle.beat(new WorkerBeat(worker.id(), Optional.of(me.id()), taking));
      if (outcome == WorkerBeat.Outcome.NAME_TAKEN) {
        nameLost.accept("its heartbeat was refused: another process registered under the name since");
        return;
      }
      if (outcome == WorkerBeat.Outcome.UNKNOWN_WORKER) {
        LOG.warn("the registry no longer knows worker {}: registering again", worker.name());
        Worker again = lifecycle.register(registration.get());
        if (!again.id().equals(worker.id())) {
          // its queue and its consumer belong to the old id: nothing is dispatched to the new one until a restart
          LOG.warn("worker {} registered again under a new id {} (was {}): restart it to take work", worker.name(),
              again.id(), worker.id());
        }
      }
      lease.confirmed();
      logTakingWork(taking);
      healthFile.heartbeatStored(at);
      health.heartbeatStored(at);
    } catch (WorkerNameTakenException taken) {
      nameLost.accept(taken.getMessage());
    } catch (RuntimeException failed) {
      health.heartbeatFailed(failed.getMessage());
      LOG.warn("heartbeat of worker {} failed: {}", worker.name(), failed.getMessage());
    }
  }

  private void logTakingWork(boolean taking) {
    if (taking == wasTakingWork) {
      return;
    }
    wasTakingWork = taking;
    if (taking) {
      LOG.info("worker {} consumes its dispatch queue again: marked active", worker.name());
    } else {
      LOG.warn("worker {} cannot consume its dispatch queue: marked error, no new work is placed on it until it "
          + "can (what it runs goes on)", worker.name());
    }
  }
}
