package io.attune.worker.adapter.rabbitmq.broker;

/** A delivered message this adapter cannot read; the reason goes onto the dead-lettered copy. */
public final class MalformedMessageException extends Exception {
  private static final long serialVersionUID = 1L;

  MalformedMessageException(String reason) {
    super(reason);
  }

  public String reason() {
    return getMessage();
  }
}
