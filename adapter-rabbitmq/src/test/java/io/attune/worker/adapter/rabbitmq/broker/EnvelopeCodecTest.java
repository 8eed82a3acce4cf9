package io.attune.worker.adapter.rabbitmq.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.execution.ExecutionId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvelopeCodecTest {

  private static final Instant AT = Instant.parse("2026-03-01T10:15:30.123Z");
  private final EnvelopeCodec codec = new EnvelopeCodec();

  @Test
  void a_dispatch_survives_the_round_trip_and_carries_ids_not_parameters() throws Exception {
    DispatchMessage sent = new DispatchMessage(new ExecutionId(42), 2, ActionRef.parse("core.echo"));
    MessageEnvelope envelope = MessageEnvelope.create(MessageType.DISPATCH, AT, codec.dispatchPayload(sent));

    MessageEnvelope read = codec.read(codec.write(envelope), MessageType.DISPATCH);

    assertThat(read.messageId()).isEqualTo(envelope.messageId());
    assertThat(read.type()).isEqualTo(MessageType.DISPATCH);
    assertThat(read.timestamp()).isEqualTo(AT);
    // Jackson's number nodes compare by their Java type: compare the JSON text
    assertThat(read.payload().toString()).isEqualTo(envelope.payload().toString());
    assertThat(codec.readDispatch(read)).isEqualTo(sent);
    assertThat(read.payload().has("parameters")).isFalse();
  }

  @Test
  void a_parameters_field_of_an_older_sender_is_ignored() throws Exception {
    String body = "{\"message_id\":\"7b0c5c52-51a4-4c4f-9d3e-0a4d2f8c9e11\",\"message_type\":\"execution.dispatch\","
        + "\"timestamp\":\"2026-03-01T10:15:30Z\",\"payload\":{\"execution_id\":5,\"attempt\":1,"
        + "\"action_ref\":\"core.echo\",\"parameters\":[1]}}";

    DispatchMessage read = codec.readDispatch(codec.read(body.getBytes(StandardCharsets.UTF_8),
        MessageType.DISPATCH));

    assertThat(read).isEqualTo(new DispatchMessage(new ExecutionId(5), 1, ActionRef.parse("core.echo")));
  }

  @Test
  void the_envelope_has_attunes_field_names_and_an_iso_timestamp() throws Exception {
    MessageEnvelope envelope = MessageEnvelope.create(MessageType.REQUEST, AT,
        codec.requestPayload(new ExecutionId(7)));

    JsonNode json = new ObjectMapper().readTree(codec.write(envelope));

    assertThat(json.get("message_id").asText()).isEqualTo(envelope.messageId().toString());
    assertThat(json.get("message_type").asText()).isEqualTo("execution.request");
    assertThat(json.get("timestamp").asText()).isEqualTo("2026-03-01T10:15:30.123Z");
    assertThat(json.get("payload").get("execution_id").asLong()).isEqualTo(7);
  }

  @Test
  void requests_and_results_survive_the_round_trip() throws Exception {
    ResultMessage result = new ResultMessage(new ExecutionId(9), 0, "UNSCHEDULABLE");
    byte[] resultBytes = codec.write(MessageEnvelope.create(MessageType.RESULT, AT, codec.resultPayload(result)));
    byte[] requestBytes = codec.write(MessageEnvelope.create(MessageType.REQUEST, AT,
        codec.requestPayload(new ExecutionId(8))));

    assertThat(codec.readResult(codec.read(resultBytes, MessageType.RESULT)))
        .isEqualTo(new ResultMessage(new ExecutionId(9), 0, "unschedulable"));
    assertThat(codec.readRequest(codec.read(requestBytes, MessageType.REQUEST))).isEqualTo(new ExecutionId(8));
  }

  @Test
  void a_reader_ignores_fields_it_does_not_know_and_accepts_an_offset_timestamp() throws Exception {
    String body = "{\"message_id\":\"7b0c5c52-51a4-4c4f-9d3e-0a4d2f8c9e11\",\"message_type\":\"execution.request\","
        + "\"timestamp\":\"2026-03-01T12:15:30+02:00\",\"correlation_id\":null,\"version\":\"1.0\","
        + "\"payload\":{\"execution_id\":5,\"extra\":true}}";

    MessageEnvelope read = codec.read(body.getBytes(StandardCharsets.UTF_8), MessageType.REQUEST);

    assertThat(read.timestamp()).isEqualTo(Instant.parse("2026-03-01T10:15:30Z"));
    assertThat(codec.readRequest(read)).isEqualTo(new ExecutionId(5));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      not json                 | this is not json                                                   | body is not JSON
      empty                    | ''                                                                 | body is empty
      array                    | [1,2]                                                              | body is a JSON array
      no message_id            | {"message_type":"execution.dispatch","timestamp":"2026-03-01T10:15:30Z","payload":{}} | message_id is missing
      bad message_id           | {"message_id":"x","message_type":"execution.dispatch","timestamp":"2026-03-01T10:15:30Z","payload":{}} | message_id 'x' is not a UUID
      unknown type             | {"message_id":"7b0c5c52-51a4-4c4f-9d3e-0a4d2f8c9e11","message_type":"hello","timestamp":"2026-03-01T10:15:30Z","payload":{}} | message_type 'hello' is unknown
      wrong type               | {"message_id":"7b0c5c52-51a4-4c4f-9d3e-0a4d2f8c9e11","message_type":"execution.result","timestamp":"2026-03-01T10:15:30Z","payload":{}} | message_type is 'execution.result', expected 'execution.dispatch'
      bad timestamp            | {"message_id":"7b0c5c52-51a4-4c4f-9d3e-0a4d2f8c9e11","message_type":"execution.dispatch","timestamp":"yesterday","payload":{}} | timestamp 'yesterday' is not an ISO-8601
      payload not an object    | {"message_id":"7b0c5c52-51a4-4c4f-9d3e-0a4d2f8c9e11","message_type":"execution.dispatch","timestamp":"2026-03-01T10:15:30Z","payload":[]} | payload is [] (array), expected a JSON object
      """)
  void an_unreadable_envelope_is_refused_with_a_reason_that_names_the_field(String scenario, String body,
      String reason) {
    String text = body.equals("''") ? "" : body;

    assertThatThrownBy(() -> codec.read(text.getBytes(StandardCharsets.UTF_8), MessageType.DISPATCH))
        .as(scenario)
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      no execution_id      | {"attempt":1,"action_ref":"core.echo","parameters":{}}                        | payload.execution_id is missing
      negative id          | {"execution_id":-3,"attempt":1,"action_ref":"core.echo"}                     | payload.execution_id is -3
      fractional id        | {"execution_id":1.5,"attempt":1,"action_ref":"core.echo"}                    | expected a positive integer
      attempt zero         | {"execution_id":1,"attempt":0,"action_ref":"core.echo"}                      | payload.attempt is 0
      no action_ref        | {"execution_id":1,"attempt":1}                                               | payload.action_ref is missing
      action_ref no ref    | {"execution_id":1,"attempt":1,"action_ref":"echo"}                           | action reference 'echo' is not of the form
      """)
  void an_unreadable_dispatch_payload_is_refused_with_a_reason(String scenario, String payload, String reason)
      throws Exception {
    String body = "{\"message_id\":\"7b0c5c52-51a4-4c4f-9d3e-0a4d2f8c9e11\",\"message_type\":\"execution.dispatch\","
        + "\"timestamp\":\"2026-03-01T10:15:30Z\",\"payload\":" + payload + "}";
    MessageEnvelope envelope = codec.read(body.getBytes(StandardCharsets.UTF_8), MessageType.DISPATCH);

    assertThatThrownBy(() -> codec.readDispatch(envelope)).as(scenario)
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void a_result_with_an_unknown_status_is_refused() throws Exception {
    String body = "{\"message_id\":\"7b0c5c52-51a4-4c4f-9d3e-0a4d2f8c9e11\",\"message_type\":\"execution.result\","
        + "\"timestamp\":\"2026-03-01T10:15:30Z\",\"payload\":{\"execution_id\":1,\"attempt\":1,\"status\":\"done\"}}";
    MessageEnvelope envelope = codec.read(body.getBytes(StandardCharsets.UTF_8), MessageType.RESULT);

    assertThatThrownBy(() -> codec.readResult(envelope)).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("status 'done' is not an execution status");
  }

  @Test
  void an_envelope_keeps_its_own_copy_of_the_payload() {
    var payload = codec.requestPayload(new ExecutionId(1));
    MessageEnvelope envelope = MessageEnvelope.create(MessageType.REQUEST, AT, payload);

    payload.put("execution_id", 2);

    assertThat(envelope.payload().get("execution_id").asLong()).isEqualTo(1);
    assertThat(Arrays.asList(MessageType.values())).extracting(MessageType::wireName)
        .containsExactly("execution.dispatch", "execution.request", "execution.result", "execution.cancel");
  }

  @Test
  void the_largest_envelope_this_adapter_writes_fits_the_smallest_cap_many_times_over() {
    // the longest execution id and attempt, a long action reference, a timestamp with nanoseconds
    ActionRef longRef = ActionRef.parse("p".repeat(100) + "." + "a".repeat(150));
    Instant precise = Instant.parse("2026-03-01T10:15:30.123456789Z");
    ExecutionId largest = new ExecutionId(Long.MAX_VALUE);
    int dispatch = codec.write(MessageEnvelope.create(MessageType.DISPATCH, precise,
        codec.dispatchPayload(new DispatchMessage(largest, Integer.MAX_VALUE, longRef)))).length;
    int result = codec.write(MessageEnvelope.create(MessageType.RESULT, precise,
        codec.resultPayload(new ResultMessage(largest, Integer.MAX_VALUE, "unschedulable")))).length;

    assertThat(Math.max(dispatch, result)).isLessThan(RabbitSettings.MIN_MAX_MESSAGE_BYTES / 2);
    assertThat(RabbitSettings.DEFAULT_MAX_MESSAGE_BYTES).isGreaterThan(100 * Math.max(dispatch, result));
  }

  @Test
  void the_message_id_of_a_body_is_found_without_reading_the_whole_body() {
    MessageEnvelope envelope = MessageEnvelope.create(MessageType.REQUEST, AT,
        codec.requestPayload(new ExecutionId(7)));
    byte[] written = codec.write(envelope);
    String later = "{\"message_type\":\"execution.request\",\"payload\":{\"message_id\":\"inner\"},"
        + "\"message_id\":\"second\"}";
    byte[] cutOff = ("{\"message_id\":\"first\",\"padding\":\"" + "x".repeat(10_000) + " this is no JSON")
        .getBytes(StandardCharsets.UTF_8);

    assertThat(codec.messageIdOf(written, written.length)).contains(envelope.messageId().toString());
    assertThat(codec.messageIdOf(bytes(later), 1024)).as("the top level's, after a nested one").contains("second");
    assertThat(codec.messageIdOf(cutOff, 64)).as("found before the limit, the rest unread").contains("first");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      not JSON                         | this is not json
      a JSON array                     | ["message_id", "x"]
      no message_id                    | {"message_type":"execution.request","payload":{}}
      message_id not a string          | {"message_id":42}
      message_id only beyond the limit | {"padding":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","message_id":"late"}
      """)
  void a_body_without_a_readable_message_id_within_the_limit_has_none(String scenario, String body) {
    assertThat(codec.messageIdOf(bytes(body), 48)).as(scenario).isEmpty();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
