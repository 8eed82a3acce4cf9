package io.attune.worker.adapter.rabbitmq;

/**
 * A handler's verdict that a message is another consumer's to handle (this worker process no longer holds its
 * name, and the process that does consumes the same queue): it goes back to the queue, whatever its deliveries.
 */
final class ReturnedMessageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ReturnedMessageException(String reason) {
    super(reason);
  }
}
