package io.attune.worker.adapter.rabbitmq;

/** A delivered message this adapter cannot read; the reason goes onto the dead-lettered copy. */
final class MalformedMessageException extends Exception {
  private static final long serialVersionUID = 1L;

  MalformedMessageException(String reason) {
    super(reason);
  }

  String reason() {
    return getMessage();
  }
}
