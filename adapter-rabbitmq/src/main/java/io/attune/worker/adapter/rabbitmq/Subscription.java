package io.attune.worker.adapter.rabbitmq;

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
