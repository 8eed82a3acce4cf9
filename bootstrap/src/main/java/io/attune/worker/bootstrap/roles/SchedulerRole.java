package io.attune.worker.bootstrap.roles;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.adapter.rabbitmq.Subscription;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.logging.LogContext;
import io.attune.worker.bootstrap.wiring.Services;
import io.attune.worker.core.fleet.FleetView;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.port.in.ReconcileExecutionsUseCase.Sweep;
import io.attune.worker.core.port.in.RecoverLostExecutionsUseCase.Recovery;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.port.out.Dispatcher;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.port.out.WorkerChanges;
import io.attune.worker.core.port.out.WorkerDirectory;
import io.attune.worker.core.service.MeasureFleetService;
import io.attune.worker.core.service.ReconcileExecutionsService;
import io.attune.worker.core.service.RecoverLostExecutionsService;
import io.attune.worker.core.service.ScheduleExecutionService;
import io.attune.worker.core.service.UndeliveredDispatchService;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduler process ({@code attune-worker scheduler}), started by {@link #start}: places requested executions on
 * its {@link FleetView} of the registry (kept in step through the registry's change feed, at most
 * {@code ATTUNE_FLEET_VIEW_MAX_STALENESS_MS} old when it decides), keeps waiting ones queued until capacity frees or
 * the scheduling timeout passes (its sweep placing {@code ATTUNE_SWEEP_CONCURRENCY} at once), and runs the liveness
 * monitor. The capacity is reserved in the execution store, so a view a little behind costs a retry, never an
 * over-commit. Several schedulers may run at once: every change is a compare-and-set in the execution store.
 */
public final class SchedulerRole implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SchedulerRole.class);
  /** How often waiting executions are tried again when no result announces free capacity. */
  static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);
  /** How many executions one sweep reads per rule; a longer queue is worked through over several sweeps. */
  static final int SWEEP_PAGE = 500;
  /** How many execution requests are placed at once. */
  private static final int REQUEST_PREFETCH = 8;
  /** How often the waiting executions per runtime and the workers are counted. */
  static final Duration MEASURE_INTERVAL = Duration.ofSeconds(1);

  private final PostgresAdapter postgres;
  private final RabbitAdapter rabbit;
  private final ScheduledExecutorService timers;
  private final ExecutorService placements;
  private final Subscription requests;
  private final Subscription results;
  private final Operations operations;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private SchedulerRole(PostgresAdapter postgres, RabbitAdapter rabbit, ScheduledExecutorService timers,
      ExecutorService placements, Subscription requests, Subscription results, Operations operations) {
    this.postgres = postgres;
    this.rabbit = rabbit;
    this.timers = timers;
    this.placements = placements;
    this.requests = requests;
    this.results = results;
    this.operations = operations;
  }

  /**
   * Connects, starts the sweep and the liveness monitor, and consumes requests and results. A start-up that fails
   * closes what it had opened.
   *
   * @param clock this process's time: the messages' stamps and how long to wait for the services
   */
  public static SchedulerRole start(AttuneConfig config, Clock clock) {
    SchedulerHealthTracker health = new SchedulerHealthTracker();
    StartUp startUp = new StartUp();
    try {
      // first: /healthz answers and /readyz says why not yet while the services are awaited
      Operations operations = startUp.opened(Operations.start(config, () -> health.readiness(clock.instant())));
      ExecutionObserver observer = operations.observer();
      PostgresAdapter postgres = startUp.opened(Services.postgresForRole(config, clock, LOG::warn));
      RabbitAdapter rabbit = startUp.opened(Services.rabbitForRole(config, clock, "scheduler", LOG::warn,
          observer));
      // staleness, timeouts and placement judged by the database's time, which the workers' heartbeats carry too
      Clock databaseTime = postgres.clock();
      // dispatches are confirmed as the broker answers; one it refuses or loses gives its slot back and is requeued
      ExecutionEvents events = rabbit.events();
      Dispatcher dispatcher = rabbit.dispatcher(new UndeliveredDispatchService(postgres.executions(), databaseTime,
          observer, config.attemptLimits(), events));
      Placing placing = Placing.compose(postgres.workerChanges(), postgres.directory(), postgres.executions(),
          dispatcher, databaseTime, config, observer, events);
      startUp.opened(placing.pool()::shutdownNow);
      ScheduleExecutionService scheduling = placing.scheduling();
      ReconcileExecutionsService reconciliation = placing.reconciliation();
      RecoverLostExecutionsService monitor = new RecoverLostExecutionsService(postgres.directory(),
          postgres.registry(), postgres.executions(), databaseTime, config.attemptLimits(), observer, events);
      // the queue depth per runtime and the workers, counted in the database every second while /metrics and
      // /readyz are served (the count's result is also how /readyz knows the database answers); nothing otherwise
      MeasureFleetService fleet = new MeasureFleetService(postgres.executions(), postgres.directory(), observer);
      ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
          r -> WorkerRole.daemon(r, "scheduler-sweep"));
      startUp.opened(timers::shutdownNow);
      Sweeper sweeper = new Sweeper(placing.view(), reconciliation, monitor, timers);
      timers.scheduleWithFixedDelay(sweeper::sweepSafely, 0, SWEEP_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
      long monitorEvery = Math.max(500, config.heartbeatInterval().toMillis() / 2);
      timers.scheduleWithFixedDelay(sweeper::monitorSafely, monitorEvery, monitorEvery, TimeUnit.MILLISECONDS);
      if (operations.port().isPresent()) {
        timers.scheduleWithFixedDelay(() -> measure(fleet, health, clock), 0, MEASURE_INTERVAL.toMillis(),
            TimeUnit.MILLISECONDS);
      }
      Subscription requests = Services.retryingWhileUnreachable("consume execution requests", config.connectWait(),
          clock, LOG::warn, () -> rabbit.consumeRequests(REQUEST_PREFETCH, scheduling, SchedulerRole::log));
      Subscription results = Services.retryingWhileUnreachable("consume results", config.connectWait(), clock,
          LOG::warn, () -> rabbit.consumeResults(result -> sweeper.requestFill()));
      LOG.info("scheduler started: scheduling timeout {} s, max attempts {}, liveness check every {} ms",
          config.schedulingTimeout().toSeconds(), config.maxAttempts(), monitorEvery);
      LOG.info("placing on a fleet view at most {} ms old, {} placements at once per sweep",
          config.fleetViewMaxStaleness().toMillis(), config.sweepConcurrency());
      health.started(rabbit::isOpen);
      return new SchedulerRole(postgres, rabbit, timers, placing.pool(), requests, results, operations);
    } catch (RuntimeException failed) {
      throw startUp.failed(failed);
    }
  }

  /**
   * The placing parts of a scheduler over its ports: decisions on a fleet view instead of the registry's candidate
   * query, and the sweep placing on a pool of its own. Composed here, apart from the connections, so a test can
   * check the wiring with in-memory ports.
   *
   * @param view the scheduler's copy of the fleet; also the directory of {@link #scheduling}
   * @param pool the sweep's threads, {@code sweepConcurrency} daemons; the role shuts it down
   */
  record Placing(FleetView view, ScheduleExecutionService scheduling, ReconcileExecutionsService reconciliation,
      ExecutorService pool) {

    static Placing compose(WorkerChanges changes, WorkerDirectory registry, ExecutionStore executions,
        Dispatcher dispatcher, Clock clock, AttuneConfig config) {
      return compose(changes, registry, executions, dispatcher, clock, config, ExecutionObserver.NONE,
          ExecutionEvents.NONE);
    }

    static Placing compose(WorkerChanges changes, WorkerDirectory registry, ExecutionStore executions,
        Dispatcher dispatcher, Clock clock, AttuneConfig config, ExecutionObserver observer, ExecutionEvents events) {
      FleetView view = new FleetView(changes, registry, clock, config.fleetViewMaxStaleness(),
          FleetView.DEFAULT_FULL_RELOAD);
      ScheduleExecutionService scheduling = new ScheduleExecutionService(view, executions, dispatcher,
          PlacementPolicy.standard(), clock, observer, config.attemptLimits(), events);
      AtomicInteger threads = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(config.sweepConcurrency(),
          r -> WorkerRole.daemon(r, "scheduler-place-" + threads.incrementAndGet()));
      ReconcileExecutionsService reconciliation = new ReconcileExecutionsService(executions, scheduling, clock,
          new ReconcileExecutionsService.Settings(config.schedulingTimeout(), config.dispatchTimeout(),
              config.attemptLimits(), SWEEP_PAGE, config.sweepConcurrency()), pool, observer, events);
      return new Placing(view, scheduling, reconciliation, pool);
    }
  }

  static void log(Scheduling result) {
    try (LogContext.Scope named = LogContext.execution(result.id())) {
      logNamed(result);
    }
  }

  private static void logNamed(Scheduling result) {
    if (result instanceof Scheduling.Dispatched d) {
      LOG.info("execution {} ({}) attempt {} -> {}", d.id(), d.execution().actionRef(), d.execution().attempt(),
          d.worker().name());
    } else if (result instanceof Scheduling.Unschedulable u) {
      LOG.info("execution {} ({}) is unschedulable: {}", u.id(), u.execution().actionRef(),
          u.execution().result().map(r -> r.message()).orElse(""));
    } else if (result instanceof Scheduling.Waiting w) {
      LOG.debug("execution {} ({}) waits for capacity", w.id(), w.execution().actionRef());
    }
  }

  /** Counts the fleet once, and records whether the database answered. */
  private static void measure(MeasureFleetService fleet, SchedulerHealthTracker health, Clock clock) {
    try {
      fleet.measure();
      health.databaseAnswered(clock.instant());
    } catch (RuntimeException failed) {
      health.databaseFailed(failed.getMessage());
      LOG.debug("count of waiting executions and workers failed: {}", failed.getMessage());
    }
  }

  /** Stops consuming and timers. */
  public void stop() {
    requests.close();
    requests.awaitInFlight(Duration.ofSeconds(10));
    results.close();
    timers.shutdownNow();
    placements.shutdownNow();
    stopped.countDown();
  }

  /** Blocks until {@link #stop} has run. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    stop();
    rabbit.close();
    postgres.close();
    operations.close();
  }

  /**
   * The timed work: the core's sweep (places waiting executions, abandons those past the timeout, requeues lost
   * dispatches) and its liveness monitor, both on the role's one timer thread.
   */
  private static final class Sweeper {

    private final FleetView view;
    private final ReconcileExecutionsService reconciliation;
    private final RecoverLostExecutionsService monitor;
    private final ScheduledExecutorService timers;
    private final AtomicBoolean fillRequested = new AtomicBoolean();
    /** Why placing was paused at the last pass (the timer thread's own); null when it was not. */
    private String pausedBecause;

    Sweeper(FleetView view, ReconcileExecutionsService reconciliation, RecoverLostExecutionsService monitor,
        ScheduledExecutorService timers) {
      this.view = view;
      this.reconciliation = reconciliation;
      this.monitor = monitor;
      this.timers = timers;
    }

    /**
     * Asks for a pass soon because a result announced free capacity: it places waiting executions of the runtimes
     * with free slots, about as many as there are slots, instead of reading a whole page of the queue again for each
     * result while a long queue waits for a few slots. Requests while one is pending make one pass.
     */
    void requestFill() {
      if (fillRequested.compareAndSet(false, true)) {
        timers.execute(this::fillSafely);
      }
    }

    /** The timer's pass: lost dispatches, and a page of waiting executions whatever their runtime. */
    void sweepSafely() {
      sweepAndLog(() -> {
        // the freed slots the view counts as taken until it catches up would otherwise wait for its next refresh
        view.refresh();
        return reconciliation.sweep();
      });
    }

    void fillSafely() {
      fillRequested.set(false);
      sweepAndLog(() -> {
        view.refresh();
        return reconciliation.fillFreeSlots(view.freeSlotsByRuntime());
      });
    }

    private void sweepAndLog(Supplier<Sweep> pass) {
      try {
        Sweep sweep = pass.get();
        logPause(sweep.pausedBecause());
        sweep.placements().forEach(SchedulerRole::log);
        sweep.requeued().forEach(e -> LOG.warn("execution {} ({}): {}", e.id(), e.actionRef(),
            e.result().map(r -> r.message()).orElse("requeued")));
        sweep.abandoned().forEach(e -> LOG.warn("execution {} ({}) abandoned: {}", e.id(), e.actionRef(),
            e.result().map(r -> r.message()).orElse("")));
      } catch (RuntimeException failed) {
        LOG.warn("sweep of waiting executions failed: {}", failed.getMessage());
      }
    }

    /** Says once when placing pauses (the broker blocks this scheduler's publishing) and once when it resumes. */
    private void logPause(java.util.Optional<String> because) {
      String now = because.orElse(null);
      if (java.util.Objects.equals(now, pausedBecause)) {
        return;
      }
      if (now != null) {
        LOG.warn("placing paused: {}; nothing is placed, requeued or abandoned until it ends", now);
      } else {
        LOG.info("placing resumed");
      }
      pausedBecause = now;
    }

    void monitorSafely() {
      try {
        Recovery recovery = monitor.recover();
        recovery.markedInactive().forEach(w -> LOG.warn("worker {} stopped heartbeating: marked inactive",
            w.name()));
        recovery.requeued().forEach(e -> LOG.warn("execution {} ({}) requeued after attempt {} was lost", e.id(),
            e.actionRef(), e.attempt()));
        recovery.abandoned().forEach(e -> LOG.warn("execution {} ({}) abandoned: {}", e.id(), e.actionRef(),
            e.result().map(r -> r.message()).orElse("attempt " + e.attempt() + " was lost and none remains")));
        if (!recovery.requeued().isEmpty()) {
          timers.execute(this::sweepSafely);
        }
      } catch (RuntimeException failed) {
        LOG.warn("liveness check failed: {}", failed.getMessage());
      }
    }
  }
}
