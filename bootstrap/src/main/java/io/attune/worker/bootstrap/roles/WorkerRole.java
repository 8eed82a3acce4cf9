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
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.port.out.ActionCatalog;
import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.service.ExecutionService;
import io.attune.worker.core.service.WorkerLifecycleService;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
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
 * A worker process ({@code attune-worker run}): resolves its capabilities, registers, heartbeats, takes dispatched
 * executions within its concurrency limit, records and announces their results. On shutdown it drains: takes no
 * new work, lets running executions finish within the grace period, cancels the rest and records them, then marks
 * itself inactive.
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
    postgres = Services.postgres(config);
    rabbit = Services.rabbit(config, clock, "worker " + config.workerName());
    lifecycle = new WorkerLifecycleService(postgres.registry(), clock);
    worker = lifecycle.register(new WorkerRegistration(config.workerName(), config.workerType(), hostname(),
        resolved.capabilities(), config.heartbeatInterval()));
    healthFile = new HealthFile(config.healthFile(), worker.name(), worker.staleAfter());
    healthFile.heartbeatStored(worker.lastHeartbeatAt().orElseGet(clock::instant));
    rabbit.declareWorkerQueue(worker.id());
    int slots = resolved.capabilities().maxConcurrentExecutions();
    ExecutionService executions = new ExecutionService(postgres.executions(), catalog,
        LocalMachine.runner(config, resolved, environment), clock, slots);

    heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "heartbeat"));
    long every = config.heartbeatInterval().toMillis();
    heartbeats.scheduleAtFixedRate(() -> heartbeat(resolved), every, every, TimeUnit.MILLISECONDS);
    subscription = rabbit.consumeDispatches(worker.id(), slots, message -> handle(message, executions));
    LOG.info("worker {} (id {}) registered with {} slots; heartbeat every {} s; consuming {}", worker.name(),
        worker.id(), slots, config.heartbeatInterval().toSeconds(), subscription.queue());
    return worker;
  }

  private void handle(DispatchMessage message, ExecutionService executions) {
    ExecutionStore store = postgres.executions();
    Optional<Execution> found = store.find(message.executionId());
    if (found.isEmpty()) {
      LOG.warn("dispatch of unknown execution {}: ignored", message.executionId());
      return;
    }
    Execution execution = found.get();
    if (execution.attempt() != message.attempt() || execution.status() != ExecutionStatus.SCHEDULED) {
      LOG.info("execution {} attempt {} is {} at attempt {} now: stale dispatch ignored", execution.id(),
          message.attempt(), execution.status().wireName(), execution.attempt());
      return;
    }
    running.add(Thread.currentThread());
    Transition outcome;
    try {
      LOG.info("execution {} ({}) attempt {} starting", execution.id(), execution.actionRef(), execution.attempt());
      outcome = executions.run(execution);
    } finally {
      running.remove(Thread.currentThread());
      Thread.interrupted(); // a cancellation has been handled; the pool thread must not stay interrupted
    }
    if (outcome instanceof Transition.Refused refused) {
      LOG.warn("execution {}: {}", execution.id(), refused.reason());
      return;
    }
    Execution ended = outcome.execution();
    LOG.info("execution {} ({}) attempt {} {}: {}", ended.id(), ended.actionRef(), ended.attempt(),
        ended.status().wireName(), ended.result().map(ExecutionResult::message).orElse(""));
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
        healthFile.heartbeatStored(worker.lastHeartbeatAt().orElseGet(clock::instant));
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
    LOG.info("worker {} draining: no new work; {} running, grace {} s", worker.name(), running.size(),
        grace.toSeconds());
    subscription.close();
    if (!subscription.awaitInFlight(grace)) {
      LOG.warn("worker {}: {} executions still running after the grace period: cancelling them", worker.name(),
          running.size());
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
