package io.attune.worker.adapter.rabbitmq.in;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import io.attune.worker.adapter.rabbitmq.broker.BrokerConnection;
import io.attune.worker.adapter.rabbitmq.broker.EnvelopeCodec;
import io.attune.worker.adapter.rabbitmq.broker.MalformedMessageException;
import io.attune.worker.adapter.rabbitmq.broker.MessageEnvelope;
import io.attune.worker.adapter.rabbitmq.broker.MessageType;
import io.attune.worker.adapter.rabbitmq.broker.Publisher;
import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.adapter.rabbitmq.broker.StopMessage;
import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import io.attune.worker.adapter.rabbitmq.broker.TopologyChannel;
import io.attune.worker.core.error.InfrastructureException;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts consumers on channels of their own, each refusing bodies above the settings' {@code maxMessageBytes}, and,
 * at shutdown, stops them all within one grace period.
 */
public final class Consumers {

  private static final Logger LOG = LoggerFactory.getLogger(Consumers.class);
  private static final int MAX_PREFETCH = 65_535;
  private static final int RESULT_PREFETCH = 4;
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

  /** Reads the payload of an envelope of the queue's type: a method of {@link EnvelopeCodec}. */
  @FunctionalInterface
  interface PayloadReader<T> {
    T read(EnvelopeCodec codec, MessageEnvelope envelope) throws MalformedMessageException;
  }

  private final BrokerConnection broker;
  private final DeadLetters deadLetters;
  private final EnvelopeCodec codec;
  private final Set<ConsumerSubscription<?>> subscriptions = ConcurrentHashMap.newKeySet();

  public Consumers(BrokerConnection broker, DeadLetters deadLetters, EnvelopeCodec codec) {
    this.broker = broker;
    this.deadLetters = deadLetters;
    this.codec = codec;
  }

  /**
   * Consumes a durable queue that already exists, acknowledging as {@link ConsumerSubscription} says; each body is
   * read as an envelope of {@code type}, then its payload by {@code payload}.
   */
  <T> Subscription consume(String queue, int prefetch, MessageType type, PayloadReader<T> payload,
      ConsumerSubscription.Handler<T> handler) {
    return subscribe(queue, prefetch, false, reader(type, payload), handler);
  }

  /**
   * Receives the results that match the binding key, published from now on, on a temporary queue of this
   * subscription's own (see {@link RabbitTopology}): every subscriber sees every result.
   */
  public Subscription consumeResults(String bindingKey, ResultHandler handler) {
    return subscribe(RabbitTopology.RESULT_QUEUE_PREFIX + UUID.randomUUID(), RESULT_PREFETCH, true,
        reader(MessageType.RESULT, EnvelopeCodec::readResult), handler::handle, bindingKey);
  }

  /**
   * Receives the worker's stop requests published from now on, on a temporary queue of this subscription's own: a
   * stop request only matters to a process that runs the execution now.
   */
  Subscription consumeStops(String bindingKey, ConsumerSubscription.Handler<StopMessage> handler) {
    return subscribe(RabbitTopology.STOP_QUEUE_PREFIX + UUID.randomUUID(), RESULT_PREFETCH, true,
        reader(MessageType.STOP, EnvelopeCodec::readStop), handler, bindingKey);
  }

  private <T> ConsumerSubscription.Reader<T> reader(MessageType type, PayloadReader<T> payload) {
    return body -> payload.read(codec, codec.read(body, type));
  }

  private <T> Subscription subscribe(String queue, int prefetch, boolean temporary,
      ConsumerSubscription.Reader<T> reader, ConsumerSubscription.Handler<T> handler, String... bindingKeys) {
    if (prefetch < 1 || prefetch > MAX_PREFETCH) {
      throw new IllegalArgumentException("prefetch must be between 1 and " + MAX_PREFETCH + ", was " + prefetch);
    }
    String operation = "consume from " + queue;
    Channel channel = null;
    try {
      channel = broker.createChannel(operation);
      if (temporary) {
        // declared on the subscription's own channel, which lives as long as the queue: recovery redeclares it
        channel.queueDeclare(queue, false, true, true, TopologyChannel.deadLettered());
        for (String key : bindingKeys) {
          channel.queueBind(queue, RabbitTopology.EXECUTIONS_EXCHANGE, key);
        }
      }
      ConsumerSubscription<T> subscription = new ConsumerSubscription<>(queue, channel, prefetch,
          broker.settings().maxMessageBytes(), reader, handler, deadLetters, temporary, subscriptions::remove);
      subscriptions.add(subscription);
      subscription.start(prefetch);
      return subscription;
    } catch (IOException | ShutdownSignalException e) {
      if (channel != null) {
        Publisher.closeQuietly(channel);
      }
      throw new InfrastructureException(operation, Publisher.describe(e), e);
    }
  }

  /** Stops every subscription and gives running handlers up to 10 s in all to finish. */
  public void closeAll() {
    Set<ConsumerSubscription<?>> open = Set.copyOf(subscriptions);
    open.forEach(ConsumerSubscription::close);
    long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
    for (ConsumerSubscription<?> subscription : open) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      if (!subscription.awaitInFlight(left)) {
        LOG.warn("handlers on {} did not finish within {} s; their messages will be delivered again",
            subscription.queue(), CLOSE_GRACE.toSeconds());
      }
    }
  }
}
