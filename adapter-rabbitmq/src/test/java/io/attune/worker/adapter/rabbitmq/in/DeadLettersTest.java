package io.attune.worker.adapter.rabbitmq.in;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import io.attune.worker.adapter.rabbitmq.Fixtures;
import io.attune.worker.adapter.rabbitmq.broker.EnvelopeCodec;
import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How a dead letter's log line names the message (issue 22: it said "without message id" for ones that had one). */
class DeadLettersTest {

  private static final EnvelopeCodec CODEC = new EnvelopeCodec();
  private static final int CAP = RabbitSettings.DEFAULT_MAX_MESSAGE_BYTES;
  private static final byte[] ENVELOPE = ("{\"message_id\":\"0f7c1f0e-7d7a-4d55-8f67-5b0c1f6b2a90\","
      + "\"message_type\":\"execution.dispatch\",\"payload\":{}}").getBytes(StandardCharsets.UTF_8);
  private static final AMQP.BasicProperties NO_PROPERTIES = new AMQP.BasicProperties.Builder().build();

  @Test
  void the_amqp_message_id_names_the_message_when_present() {
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().messageId("from-the-property").build();

    assertThat(DeadLetters.messageId(props, ENVELOPE, CODEC, CAP)).isEqualTo("from-the-property");
  }

  @Test
  void without_the_property_the_envelopes_message_id_names_it() {
    assertThat(DeadLetters.messageId(NO_PROPERTIES, ENVELOPE, CODEC, CAP))
        .isEqualTo("0f7c1f0e-7d7a-4d55-8f67-5b0c1f6b2a90");
    assertThat(DeadLetters.messageId(new AMQP.BasicProperties.Builder().messageId(" ").build(), ENVELOPE, CODEC,
        CAP)).as("a blank property counts as none").isEqualTo("0f7c1f0e-7d7a-4d55-8f67-5b0c1f6b2a90");
  }

  @Test
  void a_message_with_neither_is_without_message_id() {
    assertThat(DeadLetters.messageId(NO_PROPERTIES, "not json".getBytes(StandardCharsets.UTF_8), CODEC, CAP))
        .isEqualTo("(without message id)");
    assertThat(DeadLetters.messageId(NO_PROPERTIES, new byte[0], CODEC, CAP)).isEqualTo("(without message id)");
  }

  @Test
  void an_oversized_body_is_read_only_up_to_the_cap_for_its_id() {
    byte[] idFirst = Fixtures.paddedEnvelope("execution.dispatch",
        UUID.fromString("7b0c5c52-51a4-4c4f-9d3e-0a4d2f8c9e11"), "{}", 4 * CAP);
    byte[] idLast = ("{\"padding\":\"" + "x".repeat(2 * CAP) + "\",\"message_id\":\"late\"}")
        .getBytes(StandardCharsets.UTF_8);

    assertThat(DeadLetters.messageId(NO_PROPERTIES, idFirst, CODEC, CAP))
        .isEqualTo("7b0c5c52-51a4-4c4f-9d3e-0a4d2f8c9e11");
    assertThat(DeadLetters.messageId(NO_PROPERTIES, idLast, CODEC, CAP)).isEqualTo("(without message id)");
  }

  @Test
  void a_foreign_id_cannot_break_the_log_line_or_flood_it() {
    AMQP.BasicProperties forged = new AMQP.BasicProperties.Builder().messageId("a\nWARN forged line\r").build();
    byte[] longId = ("{\"message_id\":\"" + "i".repeat(5_000) + "\"}").getBytes(StandardCharsets.UTF_8);

    assertThat(DeadLetters.messageId(forged, ENVELOPE, CODEC, CAP)).isEqualTo("a?WARN forged line?");
    assertThat(DeadLetters.messageId(NO_PROPERTIES, longId, CODEC, CAP)).hasSize(103).endsWith("...");
  }
}
