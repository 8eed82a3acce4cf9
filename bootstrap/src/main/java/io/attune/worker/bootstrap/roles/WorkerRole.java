package io.attune.worker.bootstrap.roles;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.logging.LogContext;
import io.attune.worker.core.embed.EmbeddedWorker;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.port.out.ActionRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * A worker process ({@code attune-worker run}), started by {@link #start}: resolves its capabilities, then runs the
 * core's worker session ({@link EmbeddedWorker}) over PostgreSQL and RabbitMQ: it claims its name, hands on what an
 * earlier process of the name still held, heartbeats, takes dispatched executions within its concurrency limit,
 * records and announces their results, and ends the ones an operator cancels (on a stop request, or found in the
 * store at a heartbeat should a request be missed). On shutdown it drains: marks itself draining (no new work is
 * placed on it), lets running executions finish within the grace period, hands what is still running on to other
 * workers (a new attempt), then marks itself inactive. The start-up is {@link WorkerStart}'s; this class is the
 * running role: its drain, the loss of its name to another process, and its close.
 */
public final class WorkerRole implements AutoCloseable {

  private final PostgresAdapter postgres;
  private final RabbitAdapter rabbit;
  private final EmbeddedWorker session;
  private final Operations operations;
  private final WorkerHealthTracker health;
  private final HealthFile healthFile;
  private final Reprobing reprobing;
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** The running parts, composed by {@link WorkerStart}. */
  WorkerRole(PostgresAdapter postgres, RabbitAdapter rabbit, EmbeddedWorker session, Operations operations,
      WorkerHealthTracker health, HealthFile healthFile, Reprobing reprobing, SessionListener listener) {
    this.postgres = postgres;
    this.rabbit = rabbit;
    this.session = session;
    this.operations = operations;
    this.health = health;
    this.healthFile = healthFile;
    this.reprobing = reprobing;
    listener.whenNameLost(this::stopWithoutTheName);
    if (session.lostName().isPresent()) {
      stopWithoutTheName(); // lost while the start-up finished
    }
  }

  /**
   * Connects, claims the worker's name (handing on what an earlier process of it held), consumes and heartbeats;
   * returns once registered and consuming. A start-up that fails closes what it had opened.
   *
   * @param clock this process's time: the messages' stamps, the health file, how long to wait for the services
   * @throws io.attune.worker.core.error.ConfigurationException when the configuration lacks a service or is invalid,
   *     or a live process holds the worker's name
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
    return session.worker();
  }

  /**
   * Why this process stopped because another took its worker name, if it did (it was judged gone, e.g. paused for
   * longer than three heartbeats): it then touched nothing of the worker's entry or its executions, which belong to
   * the other process now, ended the process trees of what it ran (that work was handed on), and
   * {@link #awaitStopped} returned.
   */
  public Optional<String> lostName() {
    return session.lostName();
  }

  /** The name is another process's: no more re-probes nor health file, and the process may end. */
  private void stopWithoutTheName() {
    reprobing.close();
    healthFile.remove();
    stopped.countDown();
  }

  /**
   * Drains: stops taking work, waits for running executions up to the grace period, hands the rest on (their
   * processes are ended), then marks the worker inactive.
   */
  public void drain(Duration grace) {
    try (LogContext.Scope named = LogContext.worker(session.worker().name())) {
      reprobing.close(); // a re-probe registers the worker, which would make it active again
      health.draining();
      session.drain(grace);
      healthFile.remove();
    } finally {
      stopped.countDown();
    }
  }

  /** Blocks until {@link #drain} has finished, or until another process took the worker's name. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /** Drains, when {@link #drain} did not, then closes both connections (RabbitMQ first: its consumers finish). */
  @Override
  public void close() {
    reprobing.close();
    session.close();
    rabbit.close();
    postgres.close();
    operations.close();
  }
}
