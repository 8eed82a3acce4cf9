package io.attune.worker.adapter.rabbitmq.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The JSON wrapper of every message: {@code {"message_id", "message_type", "timestamp", "payload"}}.
 *
 * <p>The payload is a private copy, so the envelope does not change when the caller's node does.
 */
public record MessageEnvelope(UUID messageId, MessageType type, Instant timestamp, ObjectNode payload) {
  public MessageEnvelope {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(timestamp, "timestamp");
    payload = Objects.requireNonNull(payload, "payload").deepCopy();
  }

  static MessageEnvelope create(MessageType type, Instant now, ObjectNode payload) {
    return new MessageEnvelope(UUID.randomUUID(), type, now, payload);
  }
}
