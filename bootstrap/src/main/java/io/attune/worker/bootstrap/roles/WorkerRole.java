package io.attune.worker.bootstrap.roles;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.rabbitmq.DispatchMessage;
import io.attune.worker.adapter.rabbitmq.RabbitTransport;
import io.attune.worker.adapter.rabbitmq.Subscription;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.wiring.LocalMachine;
import io.attune.worker.bootstrap.wiring.Services;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.capability.ResolvedCapabilities;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.port.out.ActionCatalog;
import io.attune.worker.core.port.in.RecoverLostExecutionsUseCase.Recovery;
import io.attune.worker.core.port.in.RunExecutionUseCase.Handling;
import io.attune.worker.core.service.RunExecutionService;
import io.attune.worker.core.service.RecoverLostExecutionsService;
import io.attune.worker.core.service.WorkerLifecycleService;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process ({@code attune-worker run}): resolves its capabilities, registers, recovers what an earlier
 * process of the same name still held, heartbeats, takes dispatched executions within its concurrency limit,
 * records and announces their results. On shutdown it drains: marks itself draining (no new work is placed on it),
 * lets running executions finish within the grace period, hands what is still running on to other workers (a new
 * attempt), then marks itself inactive.
 */
public final class WorkerRole implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerRole.class);

  private final AttuneConfig config;
  private final Map<String, String> environment;
  private final Clock clock;
  private final Set<Thread> running = ConcurrentHashMap.newKeySet();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private PostgresAdapter postgres;
  private RabbitTransport rabbit;
  private WorkerLifecycleService lifecycle;
  private ScheduledExecutorService heartbeats;
  private Subscription subscription;
  private Worker worker;
  private HealthFile healthFile;
  private Clock databaseTime;

  public WorkerRole(AttuneConfig config, Map<String, String> environment, Clock clock) {
    this.config = config;
    this.environment = Map.copyOf(environment);
    this.clock = clock;
  }

  /** Starts taking work; returns once registered and consuming. */
  public Worker start() {
    ResolvedCapabilities resolved = LocalMachine.resolveCapabilities(config, environment);
    LOG.info("worker {}: runtimes {} from {}", config.workerName(), resolved.capabilities().runtimes().stream()
        .map(RuntimeName::value).collect(Collectors.joining(",")), resolved.source().wireName());
    resolved.warnings().forEach(w -> LOG.warn("capabilities: {}", w));
    ActionCatalog catalog = LocalMachine.catalog(config);
    postgres = Services.postgresForRole(config, LOG::warn);
    rabbit = Services.rabbitForRole(config, clock, "worker " + config.workerName(), LOG::warn);
    // the database's time for what others judge (heartbeats, starts, ends); this process's own for its health file
    databaseTime = postgres.clock();
    lifecycle = new WorkerLifecycleService(postgres.registry(), databaseTime);
    worker = Services.retryingWhileUnreachable("start worker " + config.workerName(), config.connectWait(),
        LOG::warn, () -> {
          // Before registering: once registered, schedulers may place work here, which must not be taken for the
          // dead process's. What is placed on the old entry meanwhile waits in its durable queue and is run below.
          postgres.directory().byName(config.workerName()).ifPresent(this::recoverWhatAnEarlierProcessHeld);
          Worker registered = lifecycle.register(new WorkerRegistration(config.workerName(), config.workerType(),
              hostname(), resolved.capabilities(), config.heartbeatInterval()));
          rabbit.declareWorkerQueue(registered.id());
          return registered;
        });
    healthFile = new HealthFile(config.healthFile(), worker.name(), worker.staleAfter());
    healthFile.heartbeatStored(clock.instant());
    int slots = resolved.capabilities().maxConcurrentExecutions();
    RunExecutionService executions = new RunExecutionService(postgres.executions(), catalog,
        LocalMachine.runner(config, resolved, environment), databaseTime, slots, WorkerRole::pauseBeforeRetry);

    heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "heartbeat"));
    long every = config.heartbeatInterval().toMillis();
    heartbeats.scheduleAtFixedRate(() -> heartbeat(resolved), every, every, TimeUnit.MILLISECONDS);
    subscription = Services.retryingWhileUnreachable("consume the dispatches of worker " + worker.name(),
        config.connectWait(), LOG::warn, () -> rabbit.consumeDispatches(worker.id(), slots,
            message -> handle(message, executions)));
    LOG.info("worker {} (id {}) registered with {} slots; heartbeat every {} s; consuming {}", worker.name(),
        worker.id(), slots, config.heartbeatInterval().toSeconds(), subscription.queue());
    return worker;
  }

  /** What this worker's name still holds at start-up belonged to an earlier process, now gone. */
  private void recoverWhatAnEarlierProcessHeld(Worker earlier) {
    RecoverLostExecutionsService monitor = new RecoverLostExecutionsService(postgres.directory(),
        postgres.registry(), postgres.executions(),
        databaseTime, config.maxAttempts());
    Recovery recovery = monitor.recoverHeldBy(earlier.id(), "restarted");
    recovery.requeued().forEach(e -> LOG.warn("execution {} ({}) held by an earlier process of this worker: {}",
        e.id(), e.actionRef(), e.result().map(ExecutionResult::message).orElse("requeued")));
    recovery.abandoned().forEach(e -> {
      LOG.warn("execution {} ({}) held by an earlier process of this worker: {}", e.id(), e.actionRef(),
          e.result().map(ExecutionResult::message).orElse("abandoned"));
      announce(e);
    });
  }

  private static void pauseBeforeRetry(Duration wait, String reason) throws InterruptedException {
    LOG.warn("{}; trying again in {} ms", reason, wait.toMillis());
    Thread.sleep(wait.toMillis());
  }

  private void handle(DispatchMessage message, RunExecutionService executions) {
    running.add(Thread.currentThread());
    Handling handling;
    try {
      handling = executions.handleDispatch(message.executionId(), message.attempt(), worker.id());
    } finally {
      running.remove(Thread.currentThread());
      Thread.interrupted(); // a cancellation has been handled; the pool thread must not stay interrupted
    }
    if (handling instanceof Handling.Ignored ignored) {
      LOG.info("dispatch of execution {} attempt {} ignored: {}", message.executionId(), message.attempt(),
          ignored.reason());
      return;
    }
    Transition outcome = ((Handling.Ran) handling).outcome();
    if (outcome instanceof Transition.Refused refused) {
      LOG.warn("execution {}: {}", message.executionId(), refused.reason());
      return;
    }
    Execution ended = outcome.execution();
    LOG.info("execution {} ({}) attempt {} {}: {}", ended.id(), ended.actionRef(), ended.attempt(),
        ended.status().wireName(), ended.result().map(ExecutionResult::message).orElse(""));
    announce(ended);
  }

  private void announce(Execution ended) {
    try {
      rabbit.publishResult(ended.id(), ended.attempt(), ended.status().wireName());
    } catch (InfrastructureException notAnnounced) {
      // the database holds the outcome; the announcement only saves the scheduler a polling round
      LOG.warn("execution {}: result stored but not announced: {}", ended.id(), notAnnounced.getMessage());
    }
  }

  private void heartbeat(ResolvedCapabilities resolved) {
    try {
      Instant at = clock.instant();
      if (lifecycle.heartbeat(worker.id())) {
        healthFile.heartbeatStored(at);
      } else {
        LOG.warn("the registry no longer knows worker {}: registering again", worker.name());
        worker = lifecycle.register(new WorkerRegistration(config.workerName(), config.workerType(), hostname(),
            resolved.capabilities(), config.heartbeatInterval()));
        healthFile.heartbeatStored(at);
      }
    } catch (RuntimeException failed) {
      LOG.warn("heartbeat of worker {} failed: {}", worker.name(), failed.getMessage());
    }
  }

  /**
   * Drains: stops taking work, waits for running executions up to the grace period, cancels the rest (their
   * processes are ended and they are recorded as cancelled), then marks the worker inactive.
   */
  public void drain(Duration grace) {
    if (subscription == null) {
      return;
    }
    try {
      // before anything else: no scheduler places new work here from now on
      lifecycle.startDraining(worker.id());
    } catch (RuntimeException failed) {
      LOG.warn("worker {} could not mark itself draining: {}", worker.name(), failed.getMessage());
    }
    LOG.info("worker {} draining: no new work; {} running, grace {} s", worker.name(), running.size(),
        grace.toSeconds());
    subscription.close();
    if (!subscription.awaitInFlight(grace)) {
      LOG.warn("worker {}: {} executions still running after the grace period: handing them to other workers",
          worker.name(), running.size());
      handOnWhatIsStillHeld();
      // ends their process trees; the cancelled outcome each then reports is refused, the attempt being requeued
      running.forEach(Thread::interrupt);
      subscription.awaitInFlight(Duration.ofSeconds(15));
    }
    heartbeats.shutdownNow();
    healthFile.remove();
    try {
      lifecycle.deregister(worker.id());
      LOG.info("worker {} marked inactive", worker.name());
    } catch (RuntimeException failed) {
      LOG.warn("worker {} could not mark itself inactive: {}", worker.name(), failed.getMessage());
    }
    stopped.countDown();
  }

  private void handOnWhatIsStillHeld() {
    try {
      RecoverLostExecutionsService monitor = new RecoverLostExecutionsService(postgres.directory(),
          postgres.registry(), postgres.executions(),
          databaseTime, config.maxAttempts());
      Recovery recovery = monitor.recoverHeldBy(worker.id(), "ran out of its shutdown grace period");
      recovery.requeued().forEach(e -> LOG.warn("execution {} ({}) requeued for another worker", e.id(),
          e.actionRef()));
      recovery.abandoned().forEach(e -> {
        LOG.warn("execution {} ({}) abandoned: {}", e.id(), e.actionRef(),
            e.result().map(ExecutionResult::message).orElse(""));
        announce(e);
      });
    } catch (RuntimeException failed) {
      // the scheduler's liveness check recovers them once this worker is inactive
      LOG.warn("worker {} could not hand on what it still runs: {}", worker.name(), failed.getMessage());
    }
  }

  /** Blocks until {@link #drain} has finished. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    if (heartbeats != null) {
      heartbeats.shutdownNow();
    }
    if (rabbit != null) {
      rabbit.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException unknown) {
      return "unknown";
    }
  }

  static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
