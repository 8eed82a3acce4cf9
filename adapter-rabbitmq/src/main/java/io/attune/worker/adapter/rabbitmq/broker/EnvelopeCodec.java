package io.attune.worker.adapter.rabbitmq.broker;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.execution.ExecutionId;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Writes and reads envelopes and their payloads. A reader is tolerant of fields it does not know and strict about
 * the ones it needs: every refusal says which field and what was expected. Thread-safe.
 */
public final class EnvelopeCodec {

  private static final int MAX_REASON_LENGTH = 300;
  private final ObjectMapper mapper = new ObjectMapper();

  byte[] write(MessageEnvelope envelope) {
    ObjectNode root = mapper.createObjectNode();
    root.put("message_id", envelope.messageId().toString());
    root.put("message_type", envelope.type().wireName());
    root.put("timestamp", envelope.timestamp().toString());
    root.set("payload", envelope.payload());
    try {
      return mapper.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("envelope " + envelope.messageId() + " cannot be written as JSON", e);
    }
  }

  /** Reads an envelope and checks it is of the expected type. */
  public MessageEnvelope read(byte[] body, MessageType expected) throws MalformedMessageException {
    MessageEnvelope envelope = read(body);
    if (envelope.type() != expected) {
      throw new MalformedMessageException("message_type is '" + envelope.type().wireName() + "', expected '"
          + expected.wireName() + "' on this queue");
    }
    return envelope;
  }

  public MessageEnvelope read(byte[] body) throws MalformedMessageException {
    JsonNode root;
    try {
      root = mapper.readTree(body == null ? new byte[0] : body);
    } catch (IOException e) {
      throw new MalformedMessageException("body is not JSON: " + firstLine(e.getMessage()));
    }
    if (root == null || root.isMissingNode()) {
      throw new MalformedMessageException("body is empty: expected a JSON envelope object");
    }
    if (!root.isObject()) {
      throw new MalformedMessageException("body is a JSON " + typeName(root)
          + ", expected an envelope object with message_id, message_type, timestamp and payload");
    }
    UUID messageId;
    try {
      messageId = UUID.fromString(requireText(root, "message_id", "a UUID"));
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("message_id '" + root.get("message_id").asText() + "' is not a UUID");
    }
    String typeName = requireText(root, "message_type", "one of execution.dispatch, execution.request, "
        + "execution.result, execution.cancel");
    MessageType type = MessageType.parse(typeName).orElseThrow(() -> new MalformedMessageException(
        "message_type '" + typeName + "' is unknown: expected execution.dispatch, execution.request, "
            + "execution.result or execution.cancel"));
    String timestampText = requireText(root, "timestamp", "an ISO-8601 date-time");
    Instant timestamp;
    try {
      timestamp = OffsetDateTime.parse(timestampText, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new MalformedMessageException("timestamp '" + timestampText
          + "' is not an ISO-8601 date-time with offset, such as 2026-01-31T12:00:00Z");
    }
    JsonNode payload = root.get("payload");
    if (payload == null || !payload.isObject()) {
      throw new MalformedMessageException("payload is " + describe(payload) + ", expected a JSON object");
    }
    return new MessageEnvelope(messageId, type, timestamp, (ObjectNode) payload);
  }

  /**
   * The top-level {@code message_id} of a JSON envelope, looked for in at most the first {@code limit} bytes by a
   * streaming parser that stops as soon as it has it (this codec writes it first): cheap enough for naming a
   * message that could not be read, whatever its size. Empty when those bytes do not hold one: not JSON, not an
   * object, no such field before the limit, or not a string.
   */
  public Optional<String> messageIdOf(byte[] body, int limit) {
    if (body == null || body.length == 0 || limit < 1) {
      return Optional.empty();
    }
    try (JsonParser parser = mapper.getFactory().createParser(body, 0, Math.min(body.length, limit))) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("message_id".equals(field)) {
          return value == JsonToken.VALUE_STRING ? Optional.of(parser.getText()) : Optional.empty();
        }
        parser.skipChildren();
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // not JSON, or cut off at the limit before the field: nothing to name it by
    }
  }

  public ObjectNode dispatchPayload(DispatchMessage message) {
    ObjectNode payload = attemptPayload(message.executionId(), message.attempt());
    payload.put("action_ref", message.actionRef().toString());
    return payload;
  }

  public DispatchMessage readDispatch(MessageEnvelope envelope) throws MalformedMessageException {
    ObjectNode payload = envelope.payload();
    AttemptOf of = readAttempt(payload, 1);
    String actionRef = payloadText(payload, "action_ref", "a non-blank string");
    return checked(() -> new DispatchMessage(of.id(), of.attempt(), ActionRef.parse(actionRef)));
  }

  public ObjectNode stopPayload(StopMessage message) {
    return attemptPayload(message.executionId(), message.attempt());
  }

  public StopMessage readStop(MessageEnvelope envelope) throws MalformedMessageException {
    AttemptOf of = readAttempt(envelope.payload(), 1);
    return new StopMessage(of.id(), of.attempt());
  }

  public ObjectNode requestPayload(ExecutionId id) {
    ObjectNode payload = mapper.createObjectNode();
    payload.put("execution_id", id.value());
    return payload;
  }

  public ExecutionId readRequest(MessageEnvelope envelope) throws MalformedMessageException {
    return executionId(envelope.payload());
  }

  public ObjectNode resultPayload(ResultMessage result) {
    ObjectNode payload = attemptPayload(result.executionId(), result.attempt());
    payload.put("status", result.status());
    return payload;
  }

  public ResultMessage readResult(MessageEnvelope envelope) throws MalformedMessageException {
    ObjectNode payload = envelope.payload();
    AttemptOf of = readAttempt(payload, 0);
    String status = payloadText(payload, "status", "an execution status");
    return checked(() -> new ResultMessage(of.id(), of.attempt(), status));
  }

  /** Which attempt of which execution: how dispatch, stop and result payloads begin. */
  private record AttemptOf(ExecutionId id, int attempt) {
  }

  /** A request's payload (the execution's id) with the attempt: the fields in the order they were always written. */
  private ObjectNode attemptPayload(ExecutionId id, int attempt) {
    ObjectNode payload = requestPayload(id);
    payload.put("attempt", attempt);
    return payload;
  }

  private static AttemptOf readAttempt(ObjectNode payload, int minAttempt) throws MalformedMessageException {
    ExecutionId id = executionId(payload);
    return new AttemptOf(id, requireInt(payload, "attempt", minAttempt));
  }

  /** Builds a message from fields read and checked here; what its own checks refuse is a malformed payload. */
  private static <T> T checked(Supplier<T> message) throws MalformedMessageException {
    try {
      return message.get();
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("payload: " + e.getMessage());
    }
  }

  private static ExecutionId executionId(ObjectNode payload) throws MalformedMessageException {
    JsonNode node = payload.get("execution_id");
    if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 1) {
      throw new MalformedMessageException("payload.execution_id is " + describe(node)
          + ", expected a positive integer");
    }
    return new ExecutionId(node.asLong());
  }

  private static int requireInt(ObjectNode payload, String field, int min) throws MalformedMessageException {
    JsonNode node = payload.get(field);
    if (node == null || !node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < min) {
      throw new MalformedMessageException("payload." + field + " is " + describe(node)
          + ", expected an integer of at least " + min);
    }
    return node.asInt();
  }

  private static String requireText(JsonNode root, String field, String expected) throws MalformedMessageException {
    return requireText(root, field, root.get(field), expected);
  }

  private static String payloadText(ObjectNode payload, String field, String expected)
      throws MalformedMessageException {
    return requireText(payload, "payload." + field, payload.get(field), expected);
  }

  private static String requireText(JsonNode root, String label, JsonNode node, String expected)
      throws MalformedMessageException {
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw new MalformedMessageException(label + " is " + describe(node) + ", expected " + expected);
    }
    return node.asText();
  }

  private static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "missing";
    }
    String text = node.toString();
    return (text.length() > 60 ? text.substring(0, 60) + "..." : text) + " (" + typeName(node) + ")";
  }

  private static String typeName(JsonNode node) {
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no detail)";
    }
    String line = message.lines().findFirst().orElse("");
    return line.length() > MAX_REASON_LENGTH ? line.substring(0, MAX_REASON_LENGTH) + "..." : line;
  }
}
