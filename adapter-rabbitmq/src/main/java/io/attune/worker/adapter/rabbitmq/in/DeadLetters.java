package io.attune.worker.adapter.rabbitmq.in;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import io.attune.worker.adapter.rabbitmq.broker.EnvelopeCodec;
import io.attune.worker.adapter.rabbitmq.broker.Publisher;
import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.core.error.InfrastructureException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a delivered message to the dead-letter exchange with the reason in a header.
 *
 * <p>The broker's own dead-lettering (reject with requeue=false) records only "rejected" in {@code x-death}; an
 * operator looking at {@value RabbitTopology#DEAD_LETTER_QUEUE} needs to know why. So the adapter publishes a copy
 * with {@value RabbitTopology#REJECT_REASON_HEADER} (confirmed), and the caller acknowledges the original only
 * afterwards: a crash in between leaves a duplicate dead letter, never a lost one.
 */
public final class DeadLetters {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  private static final int MAX_ID_LENGTH = 100;

  private final Publisher publisher;
  private final EnvelopeCodec codec;
  private final int maxMessageBytes;

  /**
   * @param maxMessageBytes the consumers' cap: at most this much of a body is read to find its message id
   */
  public DeadLetters(Publisher publisher, EnvelopeCodec codec, int maxMessageBytes) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.maxMessageBytes = maxMessageBytes;
  }

  /**
   * Publishes a copy of the message, with the reason, to the dead-letter exchange.
   *
   * @return false when the copy could not be published: the caller should then reject the original without
   *     requeueing, so the broker dead-letters it (without the reason, which is logged here)
   */
  boolean send(String queue, Envelope delivery, AMQP.BasicProperties props, byte[] body, String reason) {
    Map<String, Object> headers = new HashMap<>();
    if (props.getHeaders() != null) {
      headers.putAll(props.getHeaders());
    }
    headers.put(RabbitTopology.REJECT_REASON_HEADER, reason);
    headers.put(RabbitTopology.ORIGINAL_QUEUE_HEADER, queue);
    headers.put(RabbitTopology.ORIGINAL_ROUTING_KEY_HEADER, delivery.getRoutingKey());
    AMQP.BasicProperties copy = props.builder().headers(headers).deliveryMode(2).build();
    String operation = "dead-letter a message from " + queue;
    try {
      // mandatory: should the dead-letter queue be gone, fall back to the broker's dead-lettering below
      publisher.publish(operation, RabbitTopology.DEAD_LETTER_EXCHANGE, delivery.getRoutingKey(), true, copy, body);
      LOG.warn("dead-lettered message {} from queue {}: {}", messageId(props, body), queue, reason);
      return true;
    } catch (InfrastructureException e) {
      LOG.warn("could not publish message {} from queue {} to {} ({}); rejecting it to the broker's "
          + "dead-lettering instead. Reason: {}", messageId(props, body), queue, RabbitTopology.DEAD_LETTER_EXCHANGE,
          e.getMessage(), reason);
      return false;
    }
  }

  /** How a log line names a delivered message, reading at most the cap's worth of its body (see below). */
  String messageId(AMQP.BasicProperties props, byte[] body) {
    return messageId(props, body, codec, maxMessageBytes);
  }

  /**
   * How a log line names a delivered message: its AMQP {@code message-id} property, else the {@code message_id} of
   * its JSON envelope (a publisher other than this adapter may set only that), looked for in at most {@code limit}
   * bytes of the body; {@code (without message id)} only when it has neither. Control characters are replaced and a
   * long id is cut, since a foreign publisher chose it.
   */
  static String messageId(AMQP.BasicProperties props, byte[] body, EnvelopeCodec codec, int limit) {
    String id = props == null ? null : props.getMessageId();
    if (id == null || id.isBlank()) {
      id = codec.messageIdOf(body, limit).filter(found -> !found.isBlank()).orElse(null);
    }
    if (id == null) {
      return "(without message id)";
    }
    String printable = id.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    return printable.length() > MAX_ID_LENGTH ? printable.substring(0, MAX_ID_LENGTH) + "..." : printable;
  }
}
