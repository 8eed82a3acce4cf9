package io.attune.worker.adapter.rabbitmq.broker;

import java.time.Duration;

/**
 * A running consumer. Closing it stops taking new messages and lets the handlers already running finish and
 * acknowledge; messages it had received but not started go back to the queue.
 */
public interface Subscription extends AutoCloseable {

  /** The queue it consumes from. */
  String queue();

  /** True until {@link #close()}. */
  boolean isActive();

  /**
   * True while the consumer is registered with the broker on an open channel, so messages can reach it. False while
   * its connection recovers, once the broker cancelled it (its queue was deleted), once its channel was closed by an
   * error (which recovery does not reopen), and after {@link #close()}. Cheap and thread-safe: for a heartbeat or a
   * readiness check. A consumer in a crash loop is registered for moments between two losses, so read it together
   * with {@link #consumerLosses()}: a process whose count grew since it last looked could not consume either.
   */
  boolean isConsuming();

  /**
   * How many times the consumer was lost without being closed: its channel or connection failed, or the broker
   * cancelled it. Never decreases; cheap and thread-safe.
   */
  long consumerLosses();

  /**
   * Waits until no handler is running. After {@link #close()}, also waits until the subscription's channel is
   * closed, so every acknowledgement has been sent.
   *
   * @return true when everything finished within the timeout
   */
  boolean awaitInFlight(Duration timeout);

  /** Cancels the consumer; does not wait for running handlers (see {@link #awaitInFlight(Duration)}). */
  @Override
  void close();
}
