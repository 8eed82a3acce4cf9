package io.attune.worker.adapter.rabbitmq;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of envelope this adapter sends and reads, with their {@code message_type} names. */
enum MessageType {
  DISPATCH("execution.dispatch"),
  REQUEST("execution.request"),
  RESULT("execution.result"),
  STOP("execution.cancel");

  private final String wireName;

  MessageType(String wireName) {
    this.wireName = wireName;
  }

  String wireName() {
    return wireName;
  }

  static Optional<MessageType> parse(String text) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(text)).findFirst();
  }
}
