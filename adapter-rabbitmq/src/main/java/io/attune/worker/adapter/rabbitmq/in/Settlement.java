package io.attune.worker.adapter.rabbitmq.in;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.ShutdownSignalException;
import io.attune.worker.adapter.rabbitmq.broker.Publisher;
import java.io.IOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ways a consumer settles a delivery on its channel: acknowledge it, requeue it, or dead-letter it with the
 * reason. A settlement that fails is logged, never thrown: the broker delivers an unsettled message again once the
 * channel is gone, so it is delivered at least once and never lost.
 *
 * @param channel the channel the deliveries came on: a delivery tag means nothing on another
 */
record Settlement(String queue, Channel channel, DeadLetters deadLetters) {

  /** The subscription's logger: these lines are the consumer's, as they were before it was split into parts. */
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerSubscription.class);

  Settlement {
    Objects.requireNonNull(deadLetters, "deadLetters");
  }

  void acknowledge(Delivery delivery) {
    try {
      channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
    } catch (IOException | ShutdownSignalException e) {
      // the broker redelivers an unacknowledged message once the channel is gone: at least once, never lost
      LOG.warn("could not acknowledge a message from {} ({}); it will be delivered again", queue,
          Publisher.describe(e));
    }
  }

  void requeue(Delivery delivery) {
    try {
      channel.basicNack(delivery.getEnvelope().getDeliveryTag(), false, true);
    } catch (IOException | ShutdownSignalException e) {
      LOG.warn("could not requeue a message from {} ({}); the broker requeues it when the channel closes", queue,
          Publisher.describe(e));
    }
  }

  /**
   * Publishes a copy with the reason to the dead-letter exchange, then acknowledges the original; should the copy
   * not be published, rejects the original to the broker's own dead-lettering (see {@link DeadLetters#send}).
   */
  void deadLetter(Delivery delivery, String reason) {
    if (deadLetters.send(queue, delivery.getEnvelope(), delivery.getProperties(), delivery.getBody(), reason)) {
      acknowledge(delivery);
      return;
    }
    try {
      channel.basicReject(delivery.getEnvelope().getDeliveryTag(), false);
    } catch (IOException | ShutdownSignalException e) {
      LOG.warn("could not reject a message from {} ({}); it will be delivered again", queue, Publisher.describe(e));
    }
  }

  /** How a log line names the delivered message (see {@link DeadLetters#messageId}). */
  String messageId(Delivery delivery) {
    return deadLetters.messageId(delivery.getProperties(), delivery.getBody());
  }
}
