package io.attune.worker.bootstrap.roles;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.adapter.rabbitmq.in.DispatchConsumer;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.logging.LogContext;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.worker.NameHolder;
import io.attune.worker.core.model.worker.ProcessInstance;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.port.in.RecoverLostExecutionsUseCase.Recovery;
import io.attune.worker.core.port.out.ActionRunner;
import io.attune.worker.core.service.WorkerLifecycleService;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process ({@code attune-worker run}), started by {@link #start}: resolves its capabilities, registers,
 * recovers what an earlier process of the same name still held, heartbeats, takes dispatched executions within its
 * concurrency limit, records and announces their results, and ends the ones an operator cancels (on a stop request,
 * or found by a sweep of the store every heartbeat interval should a request be missed). On shutdown it drains: marks itself draining (no new work
 * is placed on it), lets running executions finish within the grace period, hands what is still running on to other
 * workers (a new attempt), then marks itself inactive. The start-up is {@link WorkerStart}'s; this class is the
 * running role: its drain, the loss of its name to another process, and its close.
 */
public final class WorkerRole implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerRole.class);

  private final PostgresAdapter postgres;
  private final RabbitAdapter rabbit;
  private final WorkerLifecycleService lifecycle;
  private final Worker worker;
  /** This process, as the holder of the worker's name. */
  private final ProcessInstance me;
  /** Set once another process took the name over: this one then touches nothing of the worker's any more. */
  private final AtomicReference<String> nameLost = new AtomicReference<>();
  private final HealthFile healthFile;
  private final ScheduledExecutorService heartbeats;
  private final DispatchConsumer dispatches;
  private final Operations operations;
  private final WorkerHealthTracker health;
  private final Reprobing reprobing;
  private final HandOn handOn;
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** The running parts, composed by {@link WorkerStart}. */
  WorkerRole(PostgresAdapter postgres, RabbitAdapter rabbit, WorkerLifecycleService lifecycle, Worker worker,
      ProcessInstance me, HealthFile healthFile, ScheduledExecutorService heartbeats, DispatchConsumer dispatches,
      Operations operations, WorkerHealthTracker health, Reprobing reprobing, HandOn handOn) {
    this.postgres = postgres;
    this.rabbit = rabbit;
    this.lifecycle = lifecycle;
    this.worker = worker;
    this.me = me;
    this.healthFile = healthFile;
    this.heartbeats = heartbeats;
    this.dispatches = dispatches;
    this.operations = operations;
    this.health = health;
    this.reprobing = reprobing;
    this.handOn = handOn;
  }

  /**
   * Connects, recovers what an earlier process of this name held, registers, consumes and heartbeats; returns once
   * registered and consuming. A start-up that fails closes what it had opened.
   *
   * @param clock this process's time: the messages' stamps, the health file, how long to wait for the services
   * @throws io.attune.worker.core.error.ConfigurationException when the configuration lacks a service or is invalid
   * @throws io.attune.worker.core.error.InfrastructureException when a service stays unreachable for
   *     {@code connectWait}
   */
  public static WorkerRole start(AttuneConfig config, Map<String, String> environment, Clock clock) {
    return WorkerStart.start(config, environment, clock, Optional.empty());
  }

  /**
   * Like {@link #start(AttuneConfig, Map, Clock)}, with actions run by the given runner instead of as child
   * processes: for embedding, and for benchmarks that measure the system around the action.
   */
  public static WorkerRole start(AttuneConfig config, Map<String, String> environment, Clock clock,
      ActionRunner runner) {
    return WorkerStart.start(config, environment, clock, Optional.of(runner));
  }

  /** The worker as registered at start-up. */
  public Worker worker() {
    return worker;
  }

  /**
   * Another process took the worker's name over (this one was judged gone, e.g. paused for longer than three
   * heartbeats): this process stops at once without touching the worker's entry or its executions, which belong
   * to the other process now. It takes no more work, ends the process trees of what it runs (that work was handed
   * on), and {@link #awaitStopped} returns; {@link #lostName} says why.
   */
  void loseName(String why) {
    if (!nameLost.compareAndSet(null, why)) {
      return;
    }
    try (LogContext.Scope named = LogContext.worker(worker.name())) {
      LOG.error("worker {}: this process ({}) no longer holds the worker name: {}. It stops: takes no more work and "
          + "ends what it runs, which was handed on to other workers", worker.name(), me.describe(), why);
      reprobing.close();
      healthFile.remove();
      dispatches.close();
      dispatches.interruptRunning();
      dispatches.awaitInFlight(Duration.ofSeconds(15));
      // last: the heartbeat thread may be the one running this, and shutdownNow interrupts it
      heartbeats.shutdownNow();
    } finally {
      stopped.countDown();
    }
  }

  /** Why this process stopped because another took its worker name, if it did. */
  public Optional<String> lostName() {
    return Optional.ofNullable(nameLost.get());
  }

  /**
   * Drains: stops taking work, waits for running executions up to the grace period, cancels the rest (their
   * processes are ended and they are recorded as cancelled), then marks the worker inactive.
   */
  public void drain(Duration grace) {
    try (LogContext.Scope named = LogContext.worker(worker.name())) {
      drainNamed(grace);
    }
  }

  private void drainNamed(Duration grace) {
    if (nameLost.get() != null || !holdsName()) {
      // the name, its entry and what it holds are another process's now: leave them alone
      loseName(nameLost.get() != null ? nameLost.get() : "found at shutdown: another process holds the name");
      return;
    }
    reprobing.close(); // a re-probe registers the worker, which would make it active again
    health.draining();
    try {
      // before anything else: no scheduler places new work here from now on
      lifecycle.startDraining(worker.id());
    } catch (RuntimeException failed) {
      LOG.warn("worker {} could not mark itself draining: {}", worker.name(), failed.getMessage());
    }
    LOG.info("worker {} draining: no new work; {} running, grace {} s", worker.name(), dispatches.running(),
        grace.toSeconds());
    dispatches.close();
    if (!dispatches.awaitInFlight(grace)) {
      LOG.warn("worker {}: {} executions still running after the grace period: handing them to other workers",
          worker.name(), dispatches.running());
      handOnWhatIsStillHeld();
      // ends their process trees; the cancelled outcome each then reports is refused, the attempt being requeued
      dispatches.interruptRunning();
      dispatches.awaitInFlight(Duration.ofSeconds(15));
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
      Recovery recovery = handOn.heldBy(worker.id(), "ran out of its shutdown grace period");
      recovery.requeued().forEach(e -> LOG.warn("execution {} ({}) requeued for another worker", e.id(),
          e.actionRef()));
      recovery.abandoned().forEach(e -> LOG.warn("execution {} ({}) abandoned: {}", e.id(), e.actionRef(),
          e.result().map(ExecutionResult::message).orElse("")));
    } catch (RuntimeException failed) {
      // the scheduler's liveness check recovers them once this worker is inactive
      LOG.warn("worker {} could not hand on what it still runs: {}", worker.name(), failed.getMessage());
    }
  }

  /** True while the registry says this process holds the worker's name (true when it cannot tell). */
  private boolean holdsName() {
    try {
      return postgres.registry().holderOf(worker.name()).flatMap(NameHolder::instance)
          .map(holder -> holder.id().equals(me.id())).orElse(true);
    } catch (RuntimeException unreachable) {
      return true;
    }
  }

  /** Blocks until {@link #drain} has finished, or until another process took the worker's name. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /** Stops heartbeating and closes both connections (RabbitMQ first: its consumers finish their messages). */
  @Override
  public void close() {
    reprobing.close();
    heartbeats.shutdownNow();
    rabbit.close();
    postgres.close();
    operations.close();
  }
}
