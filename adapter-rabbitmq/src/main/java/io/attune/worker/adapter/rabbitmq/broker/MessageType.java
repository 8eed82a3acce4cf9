package io.attune.worker.adapter.rabbitmq.broker;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of envelope this adapter sends and reads, with their {@code message_type} names and whether the broker
 * keeps them on disk. A dispatch is persistent: it is the only copy of "run this now" a worker will get. A request
 * and a result announcement are transient: the database holds what they say, and losing one (to a broker restart)
 * costs a sweep or a polling round, no more, while writing each to disk was a third of the broker's work.
 */
public enum MessageType {
  DISPATCH("execution.dispatch", true),
  REQUEST("execution.request", false),
  RESULT("execution.result", false),
  STOP("execution.cancel", false);

  private final String wireName;
  private final boolean persistent;

  MessageType(String wireName, boolean persistent) {
    this.wireName = wireName;
    this.persistent = persistent;
  }

  String wireName() {
    return wireName;
  }

  /** The AMQP delivery mode: 2 (persistent) or 1 (transient). */
  int deliveryMode() {
    return persistent ? 2 : 1;
  }

  static Optional<MessageType> parse(String text) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(text)).findFirst();
  }
}
