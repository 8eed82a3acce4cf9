package io.attune.worker.adapter.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
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
final class DeadLetters {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  private final Publisher publisher;

  DeadLetters(Publisher publisher) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
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
      LOG.warn("dead-lettered message {} from queue {}: {}", idOf(props), queue, reason);
      return true;
    } catch (InfrastructureException e) {
      LOG.warn("could not publish message {} from queue {} to {} ({}); rejecting it to the broker's "
          + "dead-lettering instead. Reason: {}", idOf(props), queue, RabbitTopology.DEAD_LETTER_EXCHANGE,
          e.getMessage(), reason);
      return false;
    }
  }

  private static String idOf(AMQP.BasicProperties props) {
    return props.getMessageId() == null ? "(without message id)" : props.getMessageId();
  }
}
