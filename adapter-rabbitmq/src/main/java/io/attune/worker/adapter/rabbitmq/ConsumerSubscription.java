package io.attune.worker.adapter.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One consumer on its own channel, with manual acknowledgements and a handler pool as large as the prefetch.
 *
 * <p>The broker hands out at most {@code prefetch} unacknowledged messages ({@code basic.qos}), and the pool runs
 * at most {@code prefetch} handlers, so long handlers never block the client's dispatch thread. A message is
 * acknowledged only after its handler returned; a handler that throws gets its message requeued, once: when a
 * redelivered message fails again it is dead-lettered. A message that cannot be read, or whose body is larger than
 * the cap, is dead-lettered with the reason, and the consumer goes on; an oversized body is not even parsed.
 *
 * <p>It knows whether it is consuming: registered with the broker on an open channel. It is not while its connection
 * recovers, once the broker cancelled it, or once its channel was closed by an error; and it counts how often it
 * was lost that way, so a consumer that keeps losing its channel shows even between two losses.
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
  private final Reader<T> reader;
  private final Handler<T> handler;
  private final DeadLetters deadLetters;
  private final int maxMessageBytes;
  private final boolean deleteQueueOnClose;
  private final Consumer<ConsumerSubscription<?>> onClosed;
  private final ThreadPoolExecutor pool;
  /** The subscribing thread's log context (e.g. the worker's name), on every handler's thread too. */
  private final Map<String, String> logContext;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Registered with the broker: set by consume-ok, cleared by a cancel or the channel's shutdown. */
  private final AtomicBoolean registered = new AtomicBoolean();
  private final AtomicLong losses = new AtomicLong();
  private final Object idle = new Object();
  private volatile String consumerTag;

  ConsumerSubscription(String queue, Channel channel, int prefetch, int maxMessageBytes, Reader<T> reader,
      Handler<T> handler, DeadLetters deadLetters, boolean deleteQueueOnClose,
      Consumer<ConsumerSubscription<?>> onClosed) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
    this.maxMessageBytes = maxMessageBytes;
    this.deleteQueueOnClose = deleteQueueOnClose;
    this.onClosed = Objects.requireNonNull(onClosed, "onClosed");
    this.logContext = Optional.ofNullable(MDC.getCopyOfContextMap()).orElseGet(Map::of);
    this.pool = new ThreadPoolExecutor(prefetch, prefetch, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        threads(queue)) {
      @Override
      protected void terminated() {
        // every handler has acknowledged: only now may the channel go, or its acks would be lost
        releaseChannel();
      }
    };
    pool.allowCoreThreadTimeOut(true);
  }

  /** Sets the prefetch and starts consuming. */
  void start(int prefetch) throws IOException {
    channel.basicQos(prefetch);
    long lostBefore = losses.get();
    consumerTag = channel.basicConsume(queue, false, new Delivery(channel));
    // basicConsume returns on the broker's consume-ok, whose callback runs a moment later on another thread: count
    // the consumer registered now, unless it was lost in between
    if (losses.get() == lostBefore) {
      registered.set(true);
    }
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
    return !closed.get() && registered.get() && channel.isOpen();
  }

  @Override
  public long consumerLosses() {
    return losses.get();
  }

  @Override
  public boolean awaitInFlight(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (closed.get()) {
        return pool.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
      }
      synchronized (idle) {
        while (inFlight.get() > 0) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          TimeUnit.NANOSECONDS.timedWait(idle, left);
        }
      }
      return true;
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
    String tag = consumerTag;
    try {
      if (tag != null && channel.isOpen()) {
        channel.basicCancel(tag);
      }
    } catch (IOException | ShutdownSignalException e) {
      LOG.debug("cancelling the consumer on {} failed: {}", queue, Publisher.describe(e));
    }
    pool.shutdown();
    onClosed.accept(this);
    LOG.info("stopped consuming from {}; {} handler(s) still running", queue, inFlight.get());
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

  private void run(T message, long deliveryTag, boolean redelivered, Envelope delivery, AMQP.BasicProperties props,
      byte[] body) {
    MDC.setContextMap(logContext);
    try {
      handler.handle(message);
      acknowledge(deliveryTag);
    } catch (RefusedMessageException refused) {
      deadLetter(deliveryTag, delivery, props, body, refused.getMessage());
    } catch (ReturnedMessageException returned) {
      LOG.warn("message {} from {} handed back to the queue: {}", props.getMessageId(), queue, returned.getMessage());
      requeue(deliveryTag);
    } catch (Exception | Error failure) {
      if (redelivered) {
        deadLetter(deliveryTag, delivery, props, body, "handler failed again on redelivery: " + failure);
      } else {
        LOG.warn("handler failed on message {} from {}; it will be delivered again: {}",
            deadLetters.messageId(props, body), queue, failure.toString());
        requeue(deliveryTag);
      }
      if (failure instanceof Error error) {
        throw error;
      }
    } finally {
      MDC.clear();
      finished();
    }
  }

  private void finished() {
    if (inFlight.decrementAndGet() == 0) {
      synchronized (idle) {
        idle.notifyAll();
      }
    }
  }

  private void acknowledge(long deliveryTag) {
    try {
      channel.basicAck(deliveryTag, false);
    } catch (IOException | ShutdownSignalException e) {
      // the broker redelivers an unacknowledged message once the channel is gone: at least once, never lost
      LOG.warn("could not acknowledge a message from {} ({}); it will be delivered again", queue,
          Publisher.describe(e));
    }
  }

  private void requeue(long deliveryTag) {
    try {
      channel.basicNack(deliveryTag, false, true);
    } catch (IOException | ShutdownSignalException e) {
      LOG.warn("could not requeue a message from {} ({}); the broker requeues it when the channel closes", queue,
          Publisher.describe(e));
    }
  }

  private void deadLetter(long deliveryTag, Envelope delivery, AMQP.BasicProperties props, byte[] body,
      String reason) {
    if (deadLetters.send(queue, delivery, props, body, reason)) {
      acknowledge(deliveryTag);
      return;
    }
    try {
      channel.basicReject(deliveryTag, false);
    } catch (IOException | ShutdownSignalException e) {
      LOG.warn("could not reject a message from {} ({}); it will be delivered again", queue, Publisher.describe(e));
    }
  }

  /** Runs on the client's dispatch thread: reads quickly, hands the work to the pool. */
  private final class Delivery extends DefaultConsumer {

    Delivery(Channel channel) {
      super(channel);
    }

    @Override
    public void handleDelivery(String tag, Envelope delivery, AMQP.BasicProperties props, byte[] body) {
      long deliveryTag = delivery.getDeliveryTag();
      if (closed.get()) {
        // arrived after the cancel: give it back untouched for another consumer
        requeue(deliveryTag);
        return;
      }
      int size = body == null ? 0 : body.length;
      if (size > maxMessageBytes) {
        // refused unread: parsing is what the cap protects; the connection stays, the consumer goes on
        deadLetter(deliveryTag, delivery, props, body, "oversized: " + size + " bytes, more than the cap of "
            + maxMessageBytes + " bytes");
        return;
      }
      T message;
      try {
        message = reader.read(body);
      } catch (MalformedMessageException e) {
        deadLetter(deliveryTag, delivery, props, body, "malformed message: " + e.reason());
        return;
      }
      inFlight.incrementAndGet();
      try {
        pool.execute(() -> run(message, deliveryTag, delivery.isRedeliver(), delivery, props, body));
      } catch (RejectedExecutionException e) {
        finished();
        requeue(deliveryTag);
      }
    }

    @Override
    public void handleConsumeOk(String tag) {
      super.handleConsumeOk(tag);
      consumerTag = tag; // a recovered consumer may have a new tag, which close() must cancel
      registered.set(true);
      if (losses.get() > 0) {
        LOG.info("consumer on {} registered again after {} loss(es)", queue, losses.get());
      }
    }

    @Override
    public void handleCancelOk(String tag) {
      registered.set(false);
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
