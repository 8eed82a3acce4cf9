package io.attune.worker.adapter.rabbitmq.in;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import io.attune.worker.adapter.rabbitmq.broker.MalformedMessageException;
import io.attune.worker.adapter.rabbitmq.broker.Publisher;
import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer on its own channel, with manual acknowledgements and a handler pool as large as the prefetch.
 *
 * <p>The broker hands out at most {@code prefetch} unacknowledged messages ({@code basic.qos}), and the pool runs
 * at most {@code prefetch} handlers, so long handlers never block the client's dispatch thread. A message is
 * acknowledged only after its handler returned; a handler that throws gets its message requeued, once: when a
 * redelivered message fails again it is dead-lettered. A message that cannot be read, or whose body is larger than
 * the cap, is dead-lettered with the reason, and the consumer goes on; an oversized body is not even parsed (all of
 * this: {@link DeliveryHandling}, settled through {@link Settlement}, counted by {@link InFlight}).
 *
 * <p>It knows whether it is consuming: registered with the broker on an open channel. It is not while its connection
 * recovers, once the broker cancelled it, or once its channel was closed by an error; and it counts how often it
 * was lost that way, so a consumer that keeps losing its channel shows even between two losses (see
 * {@link ConsumerRegistration}). This class is its lifecycle: started, closed, and its channel released only once
 * every handler has settled its message.
 *
 * @param <T> what the handler receives
 */
final class ConsumerSubscription<T> implements Subscription {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerSubscription.class);

  /** Reads a delivered body into what the handler takes. */
  @FunctionalInterface
  interface Reader<T> {
    T read(byte[] body) throws MalformedMessageException;
  }

  /** The caller's handler. */
  @FunctionalInterface
  interface Handler<T> {
    void handle(T message) throws Exception;
  }

  private final String queue;
  private final Channel channel;
  private final int maxMessageBytes;
  private final boolean deleteQueueOnClose;
  private final Consumer<ConsumerSubscription<?>> onClosed;
  private final ThreadPoolExecutor pool;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final InFlight inFlight;
  private final ConsumerRegistration registration;

  ConsumerSubscription(String queue, Channel channel, int prefetch, int maxMessageBytes, Reader<T> reader,
      Handler<T> handler, DeadLetters deadLetters, boolean deleteQueueOnClose,
      Consumer<ConsumerSubscription<?>> onClosed) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.maxMessageBytes = maxMessageBytes;
    this.deleteQueueOnClose = deleteQueueOnClose;
    this.onClosed = Objects.requireNonNull(onClosed, "onClosed");
    this.pool = new ThreadPoolExecutor(prefetch, prefetch, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        threads(queue)) {
      @Override
      protected void terminated() {
        // every handler has acknowledged: only now may the channel go, or its acks would be lost
        releaseChannel();
      }
    };
    pool.allowCoreThreadTimeOut(true);
    this.inFlight = new InFlight(pool);
    DeliveryHandling<T> deliveries = new DeliveryHandling<>(queue, maxMessageBytes, reader, handler,
        new Settlement(queue, channel, deadLetters), inFlight, closed::get);
    this.registration = new ConsumerRegistration(queue, channel, deliveries::take);
  }

  /** Sets the prefetch and starts consuming. */
  void start(int prefetch) throws IOException {
    channel.basicQos(prefetch);
    registration.register();
    LOG.info("consuming from {} with prefetch {}, messages up to {} bytes", queue, prefetch, maxMessageBytes);
  }

  @Override
  public String queue() {
    return queue;
  }

  @Override
  public boolean isActive() {
    return !closed.get();
  }

  @Override
  public boolean isConsuming() {
    return !closed.get() && registration.isRegistered() && channel.isOpen();
  }

  @Override
  public long consumerLosses() {
    return registration.losses();
  }

  @Override
  public boolean awaitInFlight(Duration timeout) {
    try {
      if (closed.get()) {
        return pool.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
      }
      return inFlight.awaitNone(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    registration.cancel();
    pool.shutdown();
    onClosed.accept(this);
    LOG.info("stopped consuming from {}; {} handler(s) still running", queue, inFlight.count());
  }

  private void releaseChannel() {
    try {
      if (deleteQueueOnClose && channel.isOpen()) {
        channel.queueDelete(queue);
      }
    } catch (IOException | ShutdownSignalException e) {
      LOG.debug("deleting the temporary queue {} failed: {}", queue, Publisher.describe(e));
    }
    Publisher.closeQuietly(channel);
  }

  private static ThreadFactory threads(String queue) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "attune-mq-" + queue + "-" + count.incrementAndGet());
      thread.setDaemon(false);
      return thread;
    };
  }
}
