package io.attune.worker.bootstrap.roles;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.in.RecoverLostExecutionsUseCase.Recovery;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.service.RecoverLostExecutionsService;
import java.time.Instant;

/**
 * Hands on to other workers what a worker's entry still holds (a new attempt each, or abandoned with none left),
 * through the core's recovery: what an earlier process of the name held, when this one claims it, and what this one
 * still runs past its shutdown grace period. Each hand-on reads the database's time afresh.
 */
final class HandOn {

  private final PostgresAdapter postgres;
  private final AttuneConfig config;
  private final ExecutionObserver observer;
  private final ExecutionEvents events;

  HandOn(PostgresAdapter postgres, AttuneConfig config, ExecutionObserver observer, ExecutionEvents events) {
    this.postgres = postgres;
    this.config = config;
    this.observer = observer;
    this.events = events;
  }

  /** Everything the worker holds. */
  Recovery heldBy(WorkerId worker, String why) {
    return recovery().recoverHeldBy(worker, why);
  }

  /** What was placed on (or started by) the worker before {@code before}: what came later is the new holder's. */
  Recovery heldBy(WorkerId worker, String why, Instant before) {
    return recovery().recoverHeldBy(worker, why, before);
  }

  private RecoverLostExecutionsService recovery() {
    return new RecoverLostExecutionsService(postgres.directory(), postgres.registry(), postgres.executions(),
        postgres.clock(), config.attemptLimits(), observer, events);
  }
}
