package io.attune.worker.bootstrap.roles;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.rabbitmq.RabbitTransport;
import io.attune.worker.adapter.rabbitmq.Subscription;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.wiring.Services;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.port.in.ReconcileExecutionsUseCase.Sweep;
import io.attune.worker.core.port.in.RecoverLostExecutionsUseCase.Recovery;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.service.RecoverLostExecutionsService;
import io.attune.worker.core.service.ReconcileExecutionsService;
import io.attune.worker.core.service.ScheduleExecutionService;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduler process ({@code attune-worker scheduler}): places requested executions on live registry data,
 * keeps waiting ones queued until capacity frees or the scheduling timeout passes, and runs the liveness monitor.
 * Several schedulers may run at once: every change is a compare-and-set in the execution store.
 */
public final class SchedulerRole implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SchedulerRole.class);
  /** How often waiting executions are tried again when no result announces free capacity. */
  static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);
  /** How many executions one sweep reads per rule; a longer queue is worked through over several sweeps. */
  static final int SWEEP_PAGE = 500;

  private final AttuneConfig config;
  private final Clock clock;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean sweepRequested = new AtomicBoolean();
  private PostgresAdapter postgres;
  private RabbitTransport rabbit;
  private ScheduleExecutionService scheduling;
  private ReconcileExecutionsService reconciliation;
  private RecoverLostExecutionsService monitor;
  private ScheduledExecutorService timers;
  private Subscription requests;
  private Subscription results;

  public SchedulerRole(AttuneConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  public void start() {
    postgres = Services.postgresForRole(config, LOG::warn);
    rabbit = Services.rabbitForRole(config, clock, "scheduler", LOG::warn);
    // staleness, timeouts and placement judged by the database's time, which the workers' heartbeats carry too
    Clock databaseTime = postgres.clock();
    scheduling = new ScheduleExecutionService(postgres.directory(), postgres.executions(), rabbit.dispatcher(),
        PlacementPolicy.standard(), databaseTime);
    reconciliation = new ReconcileExecutionsService(postgres.executions(), scheduling, databaseTime,
        new ReconcileExecutionsService.Settings(config.schedulingTimeout(), config.dispatchTimeout(),
            config.maxAttempts(),
            SWEEP_PAGE));
    monitor = new RecoverLostExecutionsService(postgres.directory(), postgres.registry(), postgres.executions(),
        databaseTime,
        config.maxAttempts());
    timers = Executors.newSingleThreadScheduledExecutor(r -> WorkerRole.daemon(r, "scheduler-sweep"));
    timers.scheduleWithFixedDelay(this::sweepSafely, 0, SWEEP_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    long monitorEvery = Math.max(500, config.heartbeatInterval().toMillis() / 2);
    timers.scheduleWithFixedDelay(this::monitorSafely, monitorEvery, monitorEvery, TimeUnit.MILLISECONDS);
    requests = Services.retryingWhileUnreachable("consume execution requests", config.connectWait(), LOG::warn,
        () -> rabbit.consumeExecutionRequests(8, this::schedule));
    results = Services.retryingWhileUnreachable("consume results", config.connectWait(), LOG::warn,
        () -> rabbit.consumeResults(result -> requestSweep()));
    LOG.info("scheduler started: scheduling timeout {} s, max attempts {}, liveness check every {} ms",
        config.schedulingTimeout().toSeconds(), config.maxAttempts(), monitorEvery);
  }

  private void schedule(ExecutionId id) {
    try {
      log(scheduling.schedule(id));
    } catch (InfrastructureException failed) {
      // the execution stays requested in the database; the next sweep tries again
      LOG.warn("execution {}: scheduling failed, will retry: {}", id, failed.getMessage());
    }
  }

  private static void log(Scheduling result) {
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

  /** Asks for a sweep soon, e.g. because a result announced free capacity. */
  private void requestSweep() {
    if (sweepRequested.compareAndSet(false, true)) {
      timers.execute(this::sweepSafely);
    }
  }

  private void sweepSafely() {
    sweepRequested.set(false);
    try {
      sweep();
    } catch (RuntimeException failed) {
      LOG.warn("sweep of waiting executions failed: {}", failed.getMessage());
    }
  }

  /** The core's sweep: places waiting executions, abandons those past the timeout, requeues lost dispatches. */
  void sweep() {
    Sweep sweep = reconciliation.sweep();
    sweep.placements().forEach(SchedulerRole::log);
    sweep.requeued().forEach(e -> LOG.warn("execution {} ({}): {}", e.id(), e.actionRef(),
        e.result().map(r -> r.message()).orElse("requeued")));
    sweep.abandoned().forEach(e -> {
      LOG.warn("execution {} ({}) abandoned: {}", e.id(), e.actionRef(), e.result().map(r -> r.message()).orElse(""));
      rabbit.publishResult(e.id(), e.attempt(), e.status().wireName());
    });
  }

  private void monitorSafely() {
    try {
      Recovery recovery = monitor.recover();
      recovery.markedInactive().forEach(w -> LOG.warn("worker {} stopped heartbeating: marked inactive",
          w.name()));
      recovery.requeued().forEach(e -> LOG.warn("execution {} ({}) requeued after attempt {} was lost", e.id(),
          e.actionRef(), e.attempt()));
      recovery.abandoned().forEach(e -> {
        LOG.warn("execution {} ({}) abandoned: attempt {} was lost and none remains", e.id(), e.actionRef(),
            e.attempt());
        rabbit.publishResult(e.id(), e.attempt(), e.status().wireName());
      });
      if (!recovery.requeued().isEmpty()) {
        requestSweep();
      }
    } catch (RuntimeException failed) {
      LOG.warn("liveness check failed: {}", failed.getMessage());
    }
  }

  /** Stops consuming and timers. */
  public void stop() {
    if (requests != null) {
      requests.close();
      requests.awaitInFlight(Duration.ofSeconds(10));
    }
    if (results != null) {
      results.close();
    }
    if (timers != null) {
      timers.shutdownNow();
    }
    stopped.countDown();
  }

  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    stop();
    if (rabbit != null) {
      rabbit.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }
}
