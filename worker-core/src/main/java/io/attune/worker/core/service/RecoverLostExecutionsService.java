package io.attune.worker.core.service;

import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.in.RecoverLostExecutionsUseCase;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.LostWorkerRecovery;
import io.attune.worker.core.port.out.WorkerLiveness;
import io.attune.worker.core.port.out.WorkerRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Marks workers whose heartbeat went stale as inactive and recovers the executions they held: requeued while
 * {@link AttemptLimits} allow another attempt (a run that started counts against the runs, a placement that never
 * started against the redeliveries), otherwise abandoned. Safe to run in several schedulers at once: every change is a
 * compare-and-set on the execution's attempt.
 */
public final class RecoverLostExecutionsService implements RecoverLostExecutionsUseCase {

  /** One retry after a lost worker unless configured otherwise. */
  public static final int DEFAULT_MAX_ATTEMPTS = AttemptLimits.DEFAULT_MAX_RUNS;

  private final WorkerLiveness directory;
  private final WorkerRegistry registry;
  private final LostWorkerRecovery executions;
  private final Clock clock;
  private final AttemptLimits limits;
  private final LostAttempts lost;

  /**
   * @param limits how many runs, and placements that never started, an execution gets
   * @param events told of every execution it abandons
   */
  public RecoverLostExecutionsService(WorkerLiveness directory, WorkerRegistry registry, LostWorkerRecovery executions,
      Clock clock, AttemptLimits limits, ExecutionObserver observer, ExecutionEvents events) {
    this.lost = new LostAttempts(observer, new Ends(observer, events));
    this.limits = Objects.requireNonNull(limits, "limits");
    this.directory = directory;
    this.registry = registry;
    this.executions = executions;
    this.clock = clock;
  }

  @Override
  public Recovery recover() {
    Instant now = clock.instant();
    List<Worker> marked = new ArrayList<>();
    List<Execution> requeued = new ArrayList<>();
    List<Execution> abandoned = new ArrayList<>();
    for (Worker stale : directory.staleActive(now)) {
      if (registry.markInactiveIfStale(stale.id(), now)) {
        marked.add(stale);
      }
    }
    // also recovers what workers marked inactive earlier still hold, e.g. by a monitor that died half-way
    for (Execution held : executions.heldByLostWorkers(now)) {
      recover(held, "worker " + held.worker().map(Object::toString).orElse("?") + " was lost during attempt "
          + held.attempt(), now, requeued, abandoned, true);
    }
    return new Recovery(marked, requeued, abandoned);
  }

  /**
   * Hands on what a worker holds, for a new attempt elsewhere while attempts remain (otherwise abandoned); a late
   * message or result of the old attempt is then stale. Two callers: a worker process starting under a name that
   * already holds executions (they belonged to an earlier process of the same worker, which crashed and was
   * restarted, maybe within the heartbeats that would have marked it lost, and is gone with what it ran), and a
   * draining worker whose grace period ended before what it runs did.
   *
   * @param why what happened to the worker, e.g. "restarted"; the reason adds the attempt and what was done
   */
  public Recovery recoverHeldBy(WorkerId worker, String why) {
    return recoverHeldBy(worker, why, Instant.MAX);
  }

  /**
   * Like {@link #recoverHeldBy(WorkerId, String)} for what was placed on (or started by) the worker before
   * {@code before}: what a process that took the name over at {@code before} was placed since is its own.
   */
  public Recovery recoverHeldBy(WorkerId worker, String why, Instant before) {
    Instant now = clock.instant();
    List<Execution> requeued = new ArrayList<>();
    List<Execution> abandoned = new ArrayList<>();
    for (Execution held : executions.heldBy(worker)) {
      if (!held.since().isBefore(before)) {
        continue;
      }
      recover(held, "worker " + worker + " " + why + " during attempt " + held.attempt(), now, requeued, abandoned,
          false);
    }
    return new Recovery(List.of(), requeued, abandoned);
  }

  /** @param onlyIfStillLost the holder was judged lost: recover only if it still is when the change is made */
  private void recover(Execution held, String what, Instant now, List<Execution> requeued,
      List<Execution> abandoned, boolean onlyIfStillLost) {
    AttemptLimits.Verdict verdict = limits.afterLoss(held);
    String reason = what + "; " + verdict.words();
    Transition t = onlyIfStillLost
        ? executions.recoverFromLostWorker(held.id(), held.attempt(), verdict.retry(), reason, now)
        : executions.recover(held.id(), held.attempt(), verdict.retry(), reason, now);
    lost.settled(t, verdict, requeued, abandoned);
  }
}
