package io.attune.worker.adapter.rabbitmq.broker;

/**
 * A handler's verdict that a message is another consumer's to handle (this worker process no longer holds its
 * name, and the process that does consumes the same queue): it goes back to the queue, whatever its deliveries.
 */
public final class ReturnedMessageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ReturnedMessageException(String reason) {
    super(reason);
  }
}
