package io.attune.worker.core.embed;

import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.port.out.Dispatcher;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.port.out.WorkerDirectory;
import io.attune.worker.core.port.out.WorkerRegistry;
import io.attune.worker.core.service.ReconcileExecutionsService;
import io.attune.worker.core.service.RecoverLostExecutionsService;
import io.attune.worker.core.service.ScheduleExecutionService;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A scheduler running in this JVM: every {@code sweepEvery} it places what waits, abandons what waited past the
 * scheduling timeout and requeues lost dispatches; every {@code livenessEvery} it marks silent workers inactive and
 * hands on what they held. {@link #placeSoon()} asks for a pass at once (after a submission, say).
 */
public final class EmbeddedScheduler implements AutoCloseable {

  private final ReconcileExecutionsService sweep;
  private final RecoverLostExecutionsService liveness;
  private final Consumer<String> warnings;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "embedded-scheduler");
    thread.setDaemon(true);
    return thread;
  });

  private EmbeddedScheduler(Builder b) {
    ScheduleExecutionService placing = new ScheduleExecutionService(b.directory, b.executions, b.dispatcher,
        b.policy, b.clock, b.observer, b.settings.limits(), b.events);
    this.sweep = new ReconcileExecutionsService(b.executions, placing, b.clock, b.settings, Runnable::run,
        b.observer, b.events);
    this.liveness = new RecoverLostExecutionsService(b.directory, b.registry, b.executions, b.clock,
        b.settings.limits(), b.observer, b.events);
    this.warnings = b.warnings;
    timer.scheduleWithFixedDelay(this::sweepOnce, 0, b.sweepEvery.toMillis(), TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(this::livenessOnce, b.livenessEvery.toMillis(), b.livenessEvery.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** A builder over the stores and the dispatcher a scheduler needs. */
  public static Builder builder(WorkerRegistry registry, WorkerDirectory directory, ExecutionStore executions,
      Dispatcher dispatcher) {
    return new Builder(registry, directory, executions, dispatcher);
  }

  /** Asks for a sweep now, besides the timed ones. */
  public void placeSoon() {
    timer.execute(this::sweepOnce);
  }

  private void sweepOnce() {
    try {
      sweep.sweep();
    } catch (RuntimeException failed) {
      warnings.accept("sweep of waiting executions failed: " + failed.getMessage());
    }
  }

  private void livenessOnce() {
    try {
      liveness.recover();
    } catch (RuntimeException failed) {
      warnings.accept("liveness check failed: " + failed.getMessage());
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
    }
  }

  /** What an embedded scheduler needs, with defaults for the rest. */
  public static final class Builder {

    private final WorkerRegistry registry;
    private final WorkerDirectory directory;
    private final ExecutionStore executions;
    private final Dispatcher dispatcher;
    private PlacementPolicy policy = PlacementPolicy.standard();
    private Clock clock = Clock.systemUTC();
    private ExecutionObserver observer = ExecutionObserver.NONE;
    private ExecutionEvents events = ExecutionEvents.NONE;
    private ReconcileExecutionsService.Settings settings = ReconcileExecutionsService.Settings.of(
        Duration.ofMinutes(5), RecoverLostExecutionsService.DEFAULT_MAX_ATTEMPTS);
    private Duration sweepEvery = Duration.ofSeconds(1);
    private Duration livenessEvery = Duration.ofSeconds(15);
    private Consumer<String> warnings = warning -> { };

    private Builder(WorkerRegistry registry, WorkerDirectory directory, ExecutionStore executions,
        Dispatcher dispatcher) {
      this.registry = Objects.requireNonNull(registry, "registry");
      this.directory = Objects.requireNonNull(directory, "directory");
      this.executions = Objects.requireNonNull(executions, "executions");
      this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
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

    /** The scheduling and dispatch timeouts and the attempt limits; 5 minutes, 60 s and the defaults otherwise. */
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

    public Builder warnings(Consumer<String> warnings) {
      this.warnings = Objects.requireNonNull(warnings, "warnings");
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
