package io.attune.worker.adapter.rabbitmq.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import java.time.Clock;
import java.util.Date;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a payload in the JSON envelope, stamped by the clock, and publishes it confirmed (persistent or not, by
 * {@link MessageType#deliveryMode()}) to
 * {@value RabbitTopology#EXECUTIONS_EXCHANGE}: what every outbound port of this adapter shares.
 */
public final class EnvelopePublisher {

  private static final Logger LOG = LoggerFactory.getLogger(EnvelopePublisher.class);
  private static final String CONTENT_TYPE = "application/json";
  private static final String APP_ID = "attune-worker";

  private final Publisher publisher;
  private final EnvelopeCodec codec;
  private final Clock clock;

  public EnvelopePublisher(Publisher publisher, EnvelopeCodec codec, Clock clock) {
    this.publisher = publisher;
    this.codec = codec;
    this.clock = clock;
  }

  public EnvelopeCodec codec() {
    return codec;
  }

  /**
   * Publishes and waits for the broker's confirm.
   *
   * @param mandatory true when a message no queue takes must fail instead of vanishing
   * @throws io.attune.worker.core.error.InfrastructureException naming the operation when not confirmed
   */
  public void publish(String operation, String routingKey, boolean mandatory, MessageType type, ObjectNode payload) {
    Outgoing message = outgoing(type, payload);
    publisher.publish(operation, RabbitTopology.EXECUTIONS_EXCHANGE, routingKey, mandatory, message.props(),
        message.body());
    LOG.debug("{}: published {} as {}", operation, type.wireName(), message.props().getMessageId());
  }

  /**
   * Publishes without waiting for the confirm (see {@link AsyncPublisher}).
   *
   * @param onFailure told why, should the message turn out not to be delivered
   * @throws io.attune.worker.core.error.InfrastructureException naming the operation when it cannot even be sent
   */
  public void publishConfirmedLater(AsyncPublisher confirmedLater, String operation, String routingKey,
      boolean mandatory, MessageType type, ObjectNode payload, java.util.function.Consumer<String> onFailure) {
    Outgoing message = outgoing(type, payload);
    confirmedLater.publish(operation, RabbitTopology.EXECUTIONS_EXCHANGE, routingKey, mandatory, message.props(),
        message.body(), onFailure);
    LOG.debug("{}: published {} as {}, confirm pending", operation, type.wireName(), message.props().getMessageId());
  }

  private Outgoing outgoing(MessageType type, ObjectNode payload) {
    MessageEnvelope envelope = MessageEnvelope.create(type, clock.instant(), payload);
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .contentType(CONTENT_TYPE)
        .contentEncoding("utf-8")
        .deliveryMode(type.deliveryMode())
        .messageId(envelope.messageId().toString())
        .type(type.wireName())
        .timestamp(Date.from(envelope.timestamp()))
        .appId(APP_ID)
        .build();
    return new Outgoing(props, codec.write(envelope));
  }

  /** A message ready to publish. */
  private record Outgoing(AMQP.BasicProperties props, byte[] body) {
  }
}
