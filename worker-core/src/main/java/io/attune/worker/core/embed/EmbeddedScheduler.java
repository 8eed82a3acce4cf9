package io.attune.worker.core.embed;

import io.attune.worker.core.fleet.FleetView;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.port.in.ReconcileExecutionsUseCase.Sweep;
import io.attune.worker.core.port.in.RecoverLostExecutionsUseCase.Recovery;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase;
import io.attune.worker.core.port.out.Dispatcher;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.LostWorkerRecovery;
import io.attune.worker.core.port.out.Placements;
import io.attune.worker.core.port.out.SweptExecutions;
import io.attune.worker.core.port.out.WorkerCandidates;
import io.attune.worker.core.port.out.WorkerLiveness;
import io.attune.worker.core.port.out.WorkerRegistry;
import io.attune.worker.core.service.ReconcileExecutionsService;
import io.attune.worker.core.service.RecoverLostExecutionsService;
import io.attune.worker.core.service.ScheduleExecutionService;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A scheduler running in this JVM: every {@code sweepEvery} it places what waits, abandons what waited past the
 * scheduling timeout and requeues lost dispatches; every {@code livenessEvery} it marks silent workers inactive and
 * hands on what they held (and sweeps at once when it requeued some). {@link #placeSoon()} asks for a pass at once
 * (after a submission, say), {@link #fillSoon()} for one that fills the slots an end freed. Passes run on one
 * timer thread ({@code scheduler-sweep}); a pass places up to the settings' placement concurrency at once.
 */
public final class EmbeddedScheduler implements AutoCloseable {

  private final ScheduleExecutionService placing;
  private final ReconcileExecutionsService sweep;
  private final RecoverLostExecutionsService liveness;
  private final Optional<FleetView> view;
  private final SchedulerListener listener;
  private final AtomicBoolean fillRequested = new AtomicBoolean();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      r -> daemon(r, "scheduler-sweep"));
  private final ExecutorService pool;

  private EmbeddedScheduler(Builder b) {
    this.view = b.view;
    WorkerCandidates candidates = b.view.<WorkerCandidates>map(v -> v).orElse(b.candidates);
    this.placing = new ScheduleExecutionService(candidates, b.placements, b.dispatcher, b.policy, b.clock,
        b.observer, b.settings.limits(), b.events);
    AtomicInteger threads = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(b.settings.placementConcurrency(),
        r -> daemon(r, "scheduler-place-" + threads.incrementAndGet()));
    this.sweep = new ReconcileExecutionsService(b.swept, placing, b.clock, b.settings, pool, b.observer, b.events);
    this.liveness = new RecoverLostExecutionsService(b.liveness, b.registry, b.recoverable, b.clock,
        b.settings.limits(), b.observer, b.events);
    this.listener = b.listener;
    timer.scheduleWithFixedDelay(this::sweepOnce, 0, b.sweepEvery.toMillis(), TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(this::livenessOnce, b.livenessEvery.toMillis(), b.livenessEvery.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * A builder over the registry, a directory of workers (candidates for placing, stale ones for liveness), the
   * executions (placed, swept, recovered) and the dispatcher a scheduler needs.
   */
  public static <D extends WorkerCandidates & WorkerLiveness,
      E extends Placements & SweptExecutions & LostWorkerRecovery> Builder builder(WorkerRegistry registry,
      D directory, E executions, Dispatcher dispatcher) {
    return new Builder(registry, directory, directory, executions, executions, executions, dispatcher);
  }

  /** How it places one execution: for a consumer of execution requests beside the sweeps. */
  public ScheduleExecutionUseCase scheduling() {
    return placing;
  }

  /** Asks for a sweep now, besides the timed ones. */
  public void placeSoon() {
    timer.execute(this::sweepOnce);
  }

  /**
   * Asks for a pass soon because an end freed capacity: on a fleet view, it places waiting executions of the
   * runtimes with free slots, about as many as there are slots, instead of reading a whole page of the queue again
   * for each end while a long queue waits for a few slots; otherwise it sweeps. Requests while one is pending make
   * one pass.
   */
  public void fillSoon() {
    if (fillRequested.compareAndSet(false, true)) {
      timer.execute(this::fillOnce);
    }
  }

  private void sweepOnce() {
    pass(() -> {
      // the freed slots a view counts as taken until it catches up would otherwise wait for its next refresh
      view.ifPresent(FleetView::refresh);
      return sweep.sweep();
    });
  }

  private void fillOnce() {
    fillRequested.set(false);
    pass(() -> view.map(v -> {
      v.refresh();
      return sweep.fillFreeSlots(v.freeSlotsByRuntime());
    }).orElseGet(sweep::sweep));
  }

  private void pass(Supplier<Sweep> pass) {
    try {
      listener.swept(pass.get());
    } catch (RuntimeException failed) {
      listener.trouble("sweep of waiting executions failed: " + failed.getMessage());
    }
  }

  private void livenessOnce() {
    try {
      Recovery recovery = liveness.recover();
      listener.recovered(recovery);
      if (!recovery.requeued().isEmpty()) {
        timer.execute(this::sweepOnce);
      }
    } catch (RuntimeException failed) {
      listener.trouble("liveness check failed: " + failed.getMessage());
    }
  }

  /** Stops the sweeps; a pass under way ends first. */
  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    } finally {
      pool.shutdownNow();
    }
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }

  /** What an embedded scheduler needs, with defaults for the rest. */
  public static final class Builder {

    private final WorkerRegistry registry;
    private final WorkerCandidates candidates;
    private final WorkerLiveness liveness;
    private final Placements placements;
    private final SweptExecutions swept;
    private final LostWorkerRecovery recoverable;
    private final Dispatcher dispatcher;
    private Optional<FleetView> view = Optional.empty();
    private PlacementPolicy policy = PlacementPolicy.standard();
    private Clock clock = Clock.systemUTC();
    private ExecutionObserver observer = ExecutionObserver.NONE;
    private ExecutionEvents events = ExecutionEvents.NONE;
    private ReconcileExecutionsService.Settings settings = ReconcileExecutionsService.Settings.of(
        Duration.ofMinutes(5), RecoverLostExecutionsService.DEFAULT_MAX_ATTEMPTS);
    private Duration sweepEvery = Duration.ofSeconds(1);
    private Duration livenessEvery = Duration.ofSeconds(15);
    private SchedulerListener listener = SchedulerListener.NONE;

    private Builder(WorkerRegistry registry, WorkerCandidates candidates, WorkerLiveness liveness,
        Placements placements, SweptExecutions swept, LostWorkerRecovery recoverable, Dispatcher dispatcher) {
      this.registry = Objects.requireNonNull(registry, "registry");
      this.candidates = Objects.requireNonNull(candidates, "directory");
      this.liveness = liveness;
      this.placements = Objects.requireNonNull(placements, "executions");
      this.swept = swept;
      this.recoverable = recoverable;
      this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    }

    /**
     * Decides on this copy of the fleet, kept in step with the registry through its change feed, instead of asking
     * the directory for candidates at every decision; refreshed before each sweep.
     */
    public Builder fleetView(FleetView fleetView) {
      this.view = Optional.of(fleetView);
      return this;
    }

    public Builder policy(PlacementPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder observer(ExecutionObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
      return this;
    }

    public Builder events(ExecutionEvents events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    /**
     * The scheduling and dispatch timeouts, the attempt limits, the page and how many placements a pass makes at
     * once; 5 minutes, 60 s, the defaults, 500 and 1 otherwise.
     */
    public Builder settings(ReconcileExecutionsService.Settings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** How often it sweeps (1 s) and checks liveness (15 s, half the default heartbeat interval). */
    public Builder every(Duration sweep, Duration liveness) {
      this.sweepEvery = positive(sweep, "sweep interval");
      this.livenessEvery = positive(liveness, "liveness interval");
      return this;
    }

    /** Told what each pass did, e.g. to log it. Nothing by default. */
    public Builder listener(SchedulerListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Starts the sweeps. */
    public EmbeddedScheduler start() {
      return new EmbeddedScheduler(this);
    }

    private static Duration positive(Duration interval, String what) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + interval);
      }
      return interval;
    }
  }
}
