package io.attune.worker.adapter.rabbitmq.in;

/**
 * A handler's verdict that a well-formed message must not be handled by this consumer at all (a dispatch that
 * reached the wrong worker): it is dead-lettered with the reason at once, not delivered again.
 */
final class RefusedMessageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RefusedMessageException(String reason) {
    super(reason);
  }
}
