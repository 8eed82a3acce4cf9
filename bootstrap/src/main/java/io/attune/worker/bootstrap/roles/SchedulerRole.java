package io.attune.worker.bootstrap.roles;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.wiring.Services;
import io.attune.worker.core.embed.EmbeddedScheduler;
import io.attune.worker.core.fleet.FleetView;
import io.attune.worker.core.port.out.Dispatcher;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.service.MeasureFleetService;
import io.attune.worker.core.service.UndeliveredDispatchService;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduler process ({@code attune-worker scheduler}), started by {@link #start}: places requested executions on
 * its {@link FleetView} of the registry (kept in step through the registry's change feed, at most
 * {@code ATTUNE_FLEET_VIEW_MAX_STALENESS_MS} old when it decides), keeps waiting ones queued until capacity frees or
 * the scheduling timeout passes (its sweep placing {@code ATTUNE_SWEEP_CONCURRENCY} at once), and runs the liveness
 * monitor: the core's scheduler loop ({@link EmbeddedScheduler}), composed by {@link Placing}. The capacity is
 * reserved in the execution store, so a view a little behind costs a retry, never an over-commit. Several schedulers
 * may run at once: every change is a compare-and-set in the execution store.
 */
public final class SchedulerRole implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SchedulerRole.class);
  /** How many execution requests are placed at once. */
  private static final int REQUEST_PREFETCH = 8;
  /** How often the waiting executions per runtime and the workers are counted. */
  static final Duration MEASURE_INTERVAL = Duration.ofSeconds(1);

  private final PostgresAdapter postgres;
  private final RabbitAdapter rabbit;
  private final EmbeddedScheduler loop;
  private final ScheduledExecutorService measuring;
  private final Subscription requests;
  private final Subscription results;
  private final Operations operations;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private SchedulerRole(PostgresAdapter postgres, RabbitAdapter rabbit, EmbeddedScheduler loop,
      ScheduledExecutorService measuring, Subscription requests, Subscription results, Operations operations) {
    this.postgres = postgres;
    this.rabbit = rabbit;
    this.loop = loop;
    this.measuring = measuring;
    this.requests = requests;
    this.results = results;
    this.operations = operations;
  }

  /**
   * Connects, starts the core's scheduler loop (the sweep and the liveness monitor), and consumes requests and
   * results. A start-up that fails closes what it had opened.
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
      EmbeddedScheduler loop = startUp.opened(Placing.scheduler(postgres.registry(), postgres.workerChanges(),
          postgres.directory(), postgres.executions(), dispatcher, databaseTime, config).observer(observer)
          .events(events).listener(new SweepLog()).start());
      // the queue depth per runtime and the workers, counted in the database every second while /metrics and
      // /readyz are served (the count's result is also how /readyz knows the database answers); nothing otherwise
      MeasureFleetService fleet = new MeasureFleetService(postgres.executions(), postgres.directory(), observer);
      ScheduledExecutorService measuring = Executors.newSingleThreadScheduledExecutor(
          r -> DaemonThreads.named(r, "scheduler-measure"));
      startUp.opened(measuring::shutdownNow);
      if (operations.port().isPresent()) {
        measuring.scheduleWithFixedDelay(() -> measure(fleet, health, clock), 0, MEASURE_INTERVAL.toMillis(),
            TimeUnit.MILLISECONDS);
      }
      Subscription requests = Services.retryingWhileUnreachable("consume execution requests", config.connectWait(),
          clock, LOG::warn, () -> rabbit.consumeRequests(REQUEST_PREFETCH, loop.scheduling(), PlacementLog::log));
      Subscription results = Services.retryingWhileUnreachable("consume results", config.connectWait(), clock,
          LOG::warn, () -> rabbit.consumeResults(result -> loop.fillSoon()));
      LOG.info("scheduler started: scheduling timeout {} s, max attempts {}, liveness check every {} ms",
          config.schedulingTimeout().toSeconds(), config.maxAttempts(), Placing.livenessEvery(config).toMillis());
      LOG.info("placing on a fleet view at most {} ms old, {} placements at once per sweep",
          config.fleetViewMaxStaleness().toMillis(), config.sweepConcurrency());
      health.started(rabbit::isOpen);
      return new SchedulerRole(postgres, rabbit, loop, measuring, requests, results, operations);
    } catch (RuntimeException failed) {
      throw startUp.failed(failed);
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

  /** Stops consuming, the loop and the counting. */
  public void stop() {
    requests.close();
    requests.awaitInFlight(Duration.ofSeconds(10));
    results.close();
    loop.close();
    measuring.shutdownNow();
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
}
