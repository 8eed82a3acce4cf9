package io.attune.worker.adapter.rabbitmq.in;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.attune.worker.adapter.rabbitmq.broker.Publisher;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer as the broker sees it: whether it is registered (set by consume-ok, cleared by a cancel or its
 * channel's shutdown), how often it was lost without being closed, and its current tag, which a recovered consumer
 * may have changed. Its callbacks run on the client's dispatch thread; each delivery is handed on as it comes.
 */
final class ConsumerRegistration extends DefaultConsumer {

  /** The subscription's logger: these lines are the consumer's, as they were before it was split into parts. */
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerSubscription.class);

  private final String queue;
  private final Consumer<Delivery> deliveries;
  private final AtomicBoolean registered = new AtomicBoolean();
  private final AtomicLong losses = new AtomicLong();
  private volatile String consumerTag;

  ConsumerRegistration(String queue, Channel channel, Consumer<Delivery> deliveries) {
    super(channel);
    this.queue = queue;
    this.deliveries = deliveries;
  }

  /** Starts consuming the queue with manual acknowledgements. */
  void register() throws IOException {
    long lostBefore = losses.get();
    consumerTag = getChannel().basicConsume(queue, false, this);
    // basicConsume returns on the broker's consume-ok, whose callback runs a moment later on another thread: count
    // the consumer registered now, unless it was lost in between
    if (losses.get() == lostBefore) {
      registered.set(true);
    }
  }

  /** Cancels the consumer, should it have been registered on a channel still open; a failure is only logged. */
  void cancel() {
    String tag = consumerTag;
    try {
      if (tag != null && getChannel().isOpen()) {
        getChannel().basicCancel(tag);
      }
    } catch (IOException | ShutdownSignalException e) {
      LOG.debug("cancelling the consumer on {} failed: {}", queue, Publisher.describe(e));
    }
  }

  boolean isRegistered() {
    return registered.get();
  }

  long losses() {
    return losses.get();
  }

  @Override
  public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
    deliveries.accept(new Delivery(envelope, props, body));
  }

  @Override
  public void handleConsumeOk(String tag) {
    super.handleConsumeOk(tag);
    consumerTag = tag; // a recovered consumer may have a new tag, which cancel() must cancel
    registered.set(true);
    if (losses.get() > 0) {
      LOG.info("consumer on {} registered again after {} loss(es)", queue, losses.get());
    }
  }

  @Override
  public void handleCancel(String tag) {
    registered.set(false);
    losses.incrementAndGet();
    LOG.warn("the broker cancelled the consumer on {} (queue deleted?); no more messages will arrive", queue);
  }

  @Override
  public void handleShutdownSignal(String tag, ShutdownSignalException signal) {
    registered.set(false);
    if (!signal.isInitiatedByApplication()) {
      losses.incrementAndGet();
      LOG.warn("consumer on {} lost its channel ({}); it resumes when the connection recovers", queue,
          Publisher.describe(signal));
    }
  }

  /** The answer to {@link #cancel()}: not a loss. */
  @Override
  public void handleCancelOk(String tag) {
    registered.set(false);
  }
}
