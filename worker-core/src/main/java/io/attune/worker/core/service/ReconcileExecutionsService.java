package io.attune.worker.core.service;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.port.in.ReconcileExecutionsUseCase;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.port.out.ExecutionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rules of the scheduler's sweep, in one place for the scheduler role, the demo and embedders. Two rules, each
 * a compare-and-set in the store, so several schedulers may sweep at once:
 *
 * <ul>
 *   <li><b>waiting</b>: an execution requested for the scheduling timeout or longer <em>since it was last
 *       queued</em> is abandoned; a requeued execution waits again from its requeue, not from its submission, so work
 *       that ran for minutes on a worker that then died is placed again rather than given up. Others are placed.
 *   <li><b>lost dispatch</b>: an execution scheduled for the dispatch timeout or longer without starting lost its
 *       dispatch (a scheduler died between reserving the slot and publishing), since a worker starts what it is
 *       dispatched at once (its capacity was reserved for it). It is queued again for a new attempt, or abandoned
 *       when none remains; a late start of the old attempt is refused.
 * </ul>
 *
 * <p>Each pass reads at most {@link Settings#pageSize()} executions per rule, so a long queue costs bounded memory
 * and time per pass; the next pass continues with what is left.
 */
public final class ReconcileExecutionsService implements ReconcileExecutionsUseCase {

  private final ExecutionStore executions;
  private final ScheduleExecutionUseCase scheduling;
  private final Clock clock;
  private final Settings settings;

  public ReconcileExecutionsService(ExecutionStore executions, ScheduleExecutionUseCase scheduling, Clock clock,
      Settings settings) {
    this.executions = Objects.requireNonNull(executions, "executions");
    this.scheduling = Objects.requireNonNull(scheduling, "scheduling");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public Sweep sweep() {
    List<Execution> requeued = new ArrayList<>();
    List<Execution> abandoned = new ArrayList<>();
    requeueLostDispatches(requeued, abandoned);
    List<Scheduling> placements = new ArrayList<>();
    for (Execution waiting : executions.waiting(settings.pageSize())) {
      Instant now = clock.instant();
      if (waiting.inStatusFor(now).compareTo(settings.schedulingTimeout()) >= 0) {
        Transition t = executions.recover(waiting.id(), waiting.attempt(), false, "no worker could take it within "
            + "the scheduling timeout of " + settings.schedulingTimeout().toSeconds() + " s", now);
        if (t.applied()) {
          abandoned.add(t.execution());
        }
      } else {
        placements.add(scheduling.schedule(waiting.id()));
      }
    }
    return new Sweep(placements, abandoned, requeued);
  }

  private void requeueLostDispatches(List<Execution> requeued, List<Execution> abandoned) {
    Instant now = clock.instant();
    for (Execution stuck : executions.scheduledBefore(now.minus(settings.dispatchTimeout()), settings.pageSize())) {
      boolean retry = stuck.attempt() < settings.maxAttempts();
      String reason = "attempt " + stuck.attempt() + " was scheduled on worker "
          + stuck.worker().map(Object::toString).orElse("?") + " for " + stuck.inStatusFor(now).toSeconds()
          + " s without starting: its dispatch was lost" + (retry ? "; requeued"
              : "; no attempt left (max " + settings.maxAttempts() + ")");
      Transition t = executions.recover(stuck.id(), stuck.attempt(), retry, reason, now);
      if (t.applied()) {
        (t.execution().status() == ExecutionStatus.REQUESTED ? requeued : abandoned).add(t.execution());
      }
    }
  }

  /**
   * @param schedulingTimeout how long an execution may wait for a worker since it was last queued
   * @param dispatchTimeout how long an execution may stay scheduled without starting before its dispatch counts as
   *     lost; well above the time a dispatch takes to reach a worker and be started
   * @param maxAttempts attempts per execution
   * @param pageSize how many executions one pass reads per rule
   */
  public record Settings(Duration schedulingTimeout, Duration dispatchTimeout, int maxAttempts, int pageSize) {

    /** Defaults beside a given scheduling timeout and attempts: a one-minute dispatch timeout, 500 per page. */
    public static Settings of(Duration schedulingTimeout, int maxAttempts) {
      return new Settings(schedulingTimeout, Duration.ofSeconds(60), maxAttempts, 500);
    }

    public Settings {
      requirePositive(schedulingTimeout, "scheduling timeout");
      requirePositive(dispatchTimeout, "dispatch timeout");
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("max attempts must be at least 1, was " + maxAttempts);
      }
      if (pageSize < 1) {
        throw new IllegalArgumentException("page size must be at least 1, was " + pageSize);
      }
    }

    private static void requirePositive(Duration duration, String what) {
      Objects.requireNonNull(duration, what);
      if (duration.isZero() || duration.isNegative()) {
        throw new IllegalArgumentException(what + " must be positive, was " + duration);
      }
    }
  }
}
