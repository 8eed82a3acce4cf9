package io.attune.worker.core.service;

import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.port.in.ReconcileExecutionsUseCase;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.SweptExecutions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

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
 *       once it was dispatched more often than {@link AttemptLimits#maxRedeliveries()} allows without ever
 *       starting; a dispatch that never started costs no run. A late start of the old attempt is refused.
 * </ul>
 *
 * <p>Each pass reads at most {@link Settings#pageSize()} executions per rule, so a long queue costs bounded memory
 * and time per pass; the next pass continues with what is left.
 *
 * <p>The waiting executions of a pass are placed by at most {@link Settings#placementConcurrency()} tasks at once on
 * the given executor, each taking the next execution of the page until none is left: a placement mostly waits (for
 * the reservation's round trip, for the dispatch's confirm), so a few at once multiply the rate. Each execution of
 * the page is handled by exactly one task, and as the page was read: not read again before it is placed. The
 * guarantees stay the store's: its reservation is atomic, so concurrent placements, in this pass or by other
 * schedulers, never place one execution twice nor over-commit a worker. A pass returns when every task has ended.
 * When a placement throws (its dispatch failed: the slot was given back), the tasks take no further execution and the
 * pass rethrows the first failure once the others have ended, as a one-by-one pass would stop at it.
 */
public final class ReconcileExecutionsService implements ReconcileExecutionsUseCase {

  private final SweptExecutions executions;
  private final ScheduleExecutionUseCase scheduling;
  private final Clock clock;
  private final Settings settings;
  private final PageOfPlacements placements;
  private final Ends ends;
  private final LostAttempts lost;
  /** When placing last resumed after a pause (the broker blocked publishers); the epoch when it never paused. */
  private volatile Instant placingSince = Instant.EPOCH;
  private volatile boolean wasPaused;

  /**
   * A sweep that places waiting executions on {@code placements}, at most {@link Settings#placementConcurrency()}
   * at once (the executor should have that many threads; a task it refuses, because it was shut down, runs on the
   * calling thread; {@code Runnable::run} places one after another), telling {@code observer} of every execution the
   * sweep requeues or abandons, and {@code events} of every one it abandons.
   */
  public ReconcileExecutionsService(SweptExecutions executions, ScheduleExecutionUseCase scheduling, Clock clock,
      Settings settings, Executor placements, ExecutionObserver observer, ExecutionEvents events) {
    this.ends = new Ends(observer, events);
    this.lost = new LostAttempts(observer, ends);
    this.executions = Objects.requireNonNull(executions, "executions");
    this.scheduling = Objects.requireNonNull(scheduling, "scheduling");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.placements = new PageOfPlacements(Objects.requireNonNull(placements, "placements"));
  }

  /**
   * Both rules, unless placing is paused ({@link ScheduleExecutionUseCase#paused()}): while the transport cannot send
   * dispatches, nothing waits because of the fleet, so the pass neither places, requeues nor abandons anything, and
   * the scheduling and dispatch timeouts count again from the end of the pause (dispatches the transport held are
   * delivered then).
   */
  @Override
  public Sweep sweep() {
    if (isPaused()) {
      return Sweep.paused(scheduling.paused().orElse("paused"));
    }
    List<Execution> requeued = new ArrayList<>();
    List<Execution> abandoned = new ArrayList<>();
    requeueLostDispatches(requeued, abandoned);
    return placed(executions.waiting(settings.pageSize()), abandoned, requeued);
  }

  /**
   * Reads twice as many waiting executions of those runtimes as there are free slots (a few of them may be refused
   * by versions, labels or taints), at most a page, and places them as {@link #sweep()} does.
   */
  @Override
  public Sweep fillFreeSlots(Map<RuntimeName, Integer> freeSlots) {
    if (isPaused()) {
      return Sweep.paused(scheduling.paused().orElse("paused"));
    }
    Set<RuntimeName> runtimes = new HashSet<>();
    long slots = 0;
    for (Map.Entry<RuntimeName, Integer> free : freeSlots.entrySet()) {
      if (free.getValue() > 0) {
        runtimes.add(free.getKey());
        slots += free.getValue();
      }
    }
    if (runtimes.isEmpty()) {
      return new Sweep(List.of(), List.of(), List.of());
    }
    int limit = (int) Math.min(settings.pageSize(), 2 * slots);
    return placed(executions.waitingFor(runtimes, limit), new ArrayList<>(), List.of());
  }

  private Sweep placed(List<Execution> page, List<Execution> abandoned, List<Execution> requeued) {
    // the outcome of the execution at index i at index i: a Scheduling, an abandoned Execution, or null
    Object[] outcomes = placements.handle(page, settings.placementConcurrency(), this::placeOrAbandon);
    List<Scheduling> placed = new ArrayList<>();
    for (Object outcome : outcomes) {
      if (outcome instanceof Scheduling placement) {
        placed.add(placement);
      } else if (outcome instanceof Execution gaveUp) {
        abandoned.add(gaveUp);
      }
    }
    return new Sweep(placed, abandoned, requeued);
  }

  /**
   * True while placing is paused; remembers when a pause ends, from which the waiting rule counts again (time spent
   * paused counts against no execution).
   */
  private boolean isPaused() {
    boolean paused = scheduling.paused().isPresent();
    if (paused) {
      wasPaused = true;
    } else if (wasPaused) {
      wasPaused = false;
      placingSince = clock.instant();
    }
    return paused;
  }

  /**
   * The waiting rule for one execution: abandoned once it has waited the scheduling timeout since it was last queued
   * and since placing last resumed after a pause, placed otherwise.
   */
  private Object placeOrAbandon(Execution waiting) {
    Instant now = clock.instant();
    Instant waitingSince = waiting.since().isAfter(placingSince) ? waiting.since() : placingSince;
    if (Duration.between(waitingSince, now).compareTo(settings.schedulingTimeout()) >= 0) {
      Transition t = executions.recover(waiting.id(), waiting.attempt(), false, "no worker could take it within "
          + "the scheduling timeout of " + settings.schedulingTimeout().toSeconds() + " s", now);
      if (!t.applied()) {
        return null;
      }
      ends.ifEnded(t);
      return t.execution();
    }
    return scheduling.schedule(waiting);
  }

  private void requeueLostDispatches(List<Execution> requeued, List<Execution> abandoned) {
    Instant now = clock.instant();
    if (Duration.between(placingSince, now).compareTo(settings.dispatchTimeout()) < 0) {
      // dispatches held back by the transport during a pause are delivered once it ends: give them their time
      return;
    }
    for (Execution stuck : executions.scheduledBefore(now.minus(settings.dispatchTimeout()), settings.pageSize())) {
      AttemptLimits.Verdict verdict = settings.limits().afterLoss(stuck);
      String reason = "attempt " + stuck.attempt() + " was scheduled on worker "
          + stuck.worker().map(Object::toString).orElse("?") + " for " + stuck.inStatusFor(now).toSeconds()
          + " s without starting: its dispatch was lost; " + verdict.words();
      Transition t = executions.recover(stuck.id(), stuck.attempt(), verdict.retry(), reason, now);
      lost.settled(t, verdict, requeued, abandoned);
    }
  }

  /**
   * @param schedulingTimeout how long an execution may wait for a worker since it was last queued
   * @param dispatchTimeout how long an execution may stay scheduled without starting before its dispatch counts as
   *     lost; well above the time a dispatch takes to reach a worker and be started
   * @param limits how many runs, and how many placements that never started, an execution gets
   * @param pageSize how many executions one pass reads per rule
   * @param placementConcurrency how many waiting executions one pass places at once, at least 1
   */
  public record Settings(Duration schedulingTimeout, Duration dispatchTimeout, AttemptLimits limits, int pageSize,
      int placementConcurrency) {

    /** How many waiting executions the scheduler places at once unless told otherwise. */
    public static final int DEFAULT_PLACEMENT_CONCURRENCY = 4;

    /** Defaults beside a given scheduling timeout and runs: a one-minute dispatch timeout, 500 per page. */
    public static Settings of(Duration schedulingTimeout, int maxAttempts) {
      return new Settings(schedulingTimeout, Duration.ofSeconds(60), maxAttempts, 500);
    }

    /** Settings that place one execution at a time, with the default redelivery bound beside {@code maxAttempts}. */
    public Settings(Duration schedulingTimeout, Duration dispatchTimeout, int maxAttempts, int pageSize) {
      this(schedulingTimeout, dispatchTimeout, AttemptLimits.ofRuns(maxAttempts), pageSize, 1);
    }

    /** Settings with the default redelivery bound beside {@code maxAttempts}. */
    public Settings(Duration schedulingTimeout, Duration dispatchTimeout, int maxAttempts, int pageSize,
        int placementConcurrency) {
      this(schedulingTimeout, dispatchTimeout, AttemptLimits.ofRuns(maxAttempts), pageSize, placementConcurrency);
    }

    /** The same settings, placing {@code concurrency} executions at once. */
    public Settings withPlacementConcurrency(int concurrency) {
      return new Settings(schedulingTimeout, dispatchTimeout, limits, pageSize, concurrency);
    }

    /** How many attempts may start a run. */
    public int maxAttempts() {
      return limits.maxRuns();
    }

    public Settings {
      requirePositive(schedulingTimeout, "scheduling timeout");
      requirePositive(dispatchTimeout, "dispatch timeout");
      Objects.requireNonNull(limits, "limits");
      if (pageSize < 1) {
        throw new IllegalArgumentException("page size must be at least 1, was " + pageSize);
      }
      if (placementConcurrency < 1) {
        throw new IllegalArgumentException("placement concurrency must be at least 1, was " + placementConcurrency);
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
