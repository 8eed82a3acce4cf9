package io.attune.worker.bootstrap.roles;

import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import io.attune.worker.adapter.rabbitmq.in.DispatchConsumer;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.wiring.Services;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.in.RunExecutionUseCase;
import io.attune.worker.core.port.in.StopExecutionUseCase;
import io.attune.worker.core.port.out.DispatchInbox;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The worker role's {@link DispatchInbox}: its stop requests, subscribed first (a cancel of anything it runs must
 * reach it), then its dispatch queue, each subscription tried again while the broker is unreachable, up to the
 * connect wait. It also tells the heartbeat whether the worker takes work, and the readiness probe what it consumes.
 */
final class RoleInbox implements DispatchInbox {

  private final RabbitAdapter rabbit;
  private final AttuneConfig config;
  private final Clock clock;
  private final Consumer<String> progress;
  private volatile Subscription stops;
  private volatile DispatchConsumer dispatches;
  /** The consumer's channel losses at the last heartbeat (the heartbeat thread's own). */
  private long lossesSeen;

  /** @param progress told of each subscription that failed and is tried again */
  RoleInbox(RabbitAdapter rabbit, AttuneConfig config, Clock clock, Consumer<String> progress) {
    this.rabbit = rabbit;
    this.config = config;
    this.clock = clock;
    this.progress = progress;
  }

  @Override
  public Intake open(WorkerId worker, int slots, RunExecutionUseCase runs, StopExecutionUseCase stopping) {
    String name = config.workerName();
    Subscription stopRequests = Services.retryingWhileUnreachable("consume the stop requests of worker " + name,
        config.connectWait(), clock, progress, () -> rabbit.consumeStops(worker, stopping));
    DispatchConsumer consumer;
    try {
      consumer = Services.retryingWhileUnreachable("consume the dispatches of worker " + name,
          config.connectWait(), clock, progress, () -> rabbit.consumeDispatches(worker, slots, runs));
    } catch (RuntimeException failed) {
      stopRequests.close();
      throw failed;
    }
    lossesSeen = consumer.consumerLosses();
    stops = stopRequests;
    dispatches = consumer;
    return new Intake() {
      @Override
      public void stopTaking() {
        consumer.close();
      }

      @Override
      public boolean awaitInFlight(Duration timeout) {
        return consumer.awaitInFlight(timeout);
      }

      @Override
      public int running() {
        return consumer.running();
      }

      @Override
      public void interruptRunning() {
        consumer.interruptRunning();
      }

      @Override
      public void close() {
        consumer.close();
        stopRequests.close();
      }
    };
  }

  /** The dispatch queue it consumes; open first. */
  String queue() {
    return dispatches.queue();
  }

  /** The queue of its stop requests; open first. */
  String stopQueue() {
    return stops.queue();
  }

  /** True while the dispatch queue is consumed: what the readiness probe asks. */
  boolean consuming() {
    DispatchConsumer consumer = dispatches;
    return consumer != null && consumer.isActive() && consumer.isConsuming();
  }

  /**
   * Whether the worker can take work, asked by each heartbeat: its dispatch consumer is consuming and did not lose
   * its channel since the last heartbeat. A consumer that crash-loops on a message it cannot receive is registered
   * for a few milliseconds of every reconnect, so a look at the moment alone would mostly see it consuming.
   */
  boolean takingWork() {
    DispatchConsumer consumer = dispatches;
    if (consumer == null || !consumer.isActive()) {
      return true; // not consuming yet, or closed by a drain: the status says so already
    }
    long losses = consumer.consumerLosses();
    boolean steady = losses == lossesSeen;
    lossesSeen = losses;
    return steady && consumer.isConsuming();
  }
}
