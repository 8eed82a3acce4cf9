package io.attune.worker.core.service;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.port.in.RecoverLostExecutionsUseCase;
import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.port.out.WorkerDirectory;
import io.attune.worker.core.port.out.WorkerRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Marks workers whose heartbeat went stale as inactive and recovers the executions they held: requeued while
 * attempts remain, otherwise abandoned. Safe to run in several schedulers at once: every change is a
 * compare-and-set on the execution's attempt.
 */
public final class LivenessMonitor implements RecoverLostExecutionsUseCase {

  /** One retry after a lost worker unless configured otherwise. */
  public static final int DEFAULT_MAX_ATTEMPTS = 2;

  private final WorkerDirectory directory;
  private final WorkerRegistry registry;
  private final ExecutionStore executions;
  private final Clock clock;
  private final int maxAttempts;

  public LivenessMonitor(WorkerDirectory directory, WorkerRegistry registry, ExecutionStore executions, Clock clock,
      int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts must be at least 1, was " + maxAttempts);
    }
    this.directory = directory;
    this.registry = registry;
    this.executions = executions;
    this.clock = clock;
    this.maxAttempts = maxAttempts;
  }

  @Override
  public Recovery recover() {
    Instant now = clock.instant();
    List<Worker> marked = new ArrayList<>();
    List<Execution> requeued = new ArrayList<>();
    List<Execution> abandoned = new ArrayList<>();
    for (Worker stale : directory.staleActive(now)) {
      if (registry.markInactive(stale.id())) {
        marked.add(stale);
      }
    }
    // also recovers what workers marked inactive earlier still hold, e.g. by a monitor that died half-way
    for (Execution held : executions.heldByLostWorkers(now)) {
      boolean retry = held.attempt() < maxAttempts;
      String reason = "worker " + held.worker().map(Object::toString).orElse("?")
          + " was lost during attempt " + held.attempt()
          + (retry ? "; requeued" : "; no attempt left (max " + maxAttempts + ")");
      Transition t = executions.recover(held.id(), held.attempt(), retry, reason, now);
      if (t.applied()) {
        (t.execution().status() == ExecutionStatus.REQUESTED ? requeued : abandoned).add(t.execution());
      }
    }
    return new Recovery(marked, requeued, abandoned);
  }
}
