package io.attune.worker.adapter.rabbitmq.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.attune.worker.core.error.InfrastructureException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes without waiting for the broker's confirm: confirms are collected as they arrive (one may cover many
 * publishes), so a caller is not held for a round trip per message. Nothing is lost silently: a publish either fails
 * at once (an exception), or is confirmed, or its failure callback is told why it was not delivered: the broker
 * refused it (negative confirm, e.g. a full queue that rejects publishes), returned it (mandatory, no queue took
 * it), or its channel closed first. A confirm that is late is only logged: a blocked broker confirms later. Callbacks run one at a time on a thread
 * of their own, never on the connection's.
 */
public final class AsyncPublisher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AsyncPublisher.class);

  private final Connection connection;
  private final Duration confirmTimeout;
  private final Object lock = new Object();
  private final ScheduledExecutorService timer;
  private final ExecutorService callbacks;
  private ConfirmChannel current;
  private volatile boolean closed;
  /** When {@link #expire} last warned of overdue confirms (the timer thread's own). */
  private long lastOverdueWarning = System.nanoTime() - Long.MAX_VALUE / 2;

  public AsyncPublisher(Connection connection, Duration confirmTimeout) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.confirmTimeout = Objects.requireNonNull(confirmTimeout, "confirmTimeout");
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "rabbitmq-confirm-timer"));
    this.callbacks = Executors.newSingleThreadExecutor(r -> daemon(r, "rabbitmq-undelivered"));
    long every = Math.max(50, confirmTimeout.toMillis() / 10);
    timer.scheduleWithFixedDelay(this::expire, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Publishes and returns; the confirm comes later.
   *
   * @param onFailure told why, should the message turn out not to be delivered
   * @throws InfrastructureException when the message cannot even be sent (no channel, connection closed)
   */
  void publish(String operation, String exchange, String routingKey, boolean mandatory, AMQP.BasicProperties props,
      byte[] body, Consumer<String> onFailure) {
    Objects.requireNonNull(props.getMessageId(), "a message id, to match a returned message");
    synchronized (lock) {
      if (closed) {
        throw new InfrastructureException(operation, "the RabbitMQ transport is closed");
      }
      ConfirmChannel target = channel(operation);
      long sequence = target.channel.getNextPublishSeqNo();
      target.outstanding.put(sequence, new Pending(props.getMessageId(), exchange, routingKey,
          System.nanoTime() + confirmTimeout.toNanos(), onFailure));
      try {
        target.channel.basicPublish(exchange, routingKey, mandatory, props, body);
      } catch (IOException | ShutdownSignalException e) {
        target.outstanding.remove(sequence);
        throw new InfrastructureException(operation, "the broker did not take the message: "
            + Publisher.describe(e), e);
      }
    }
  }

  private ConfirmChannel channel(String operation) {
    if (current != null && current.channel.isOpen()) {
      return current;
    }
    Map<String, String> returned = new ConcurrentHashMap<>();
    ConfirmChannel opened = new ConfirmChannel(Publisher.openConfirming(connection, operation, returned), returned);
    opened.channel.addConfirmListener(new ConfirmListener() {
      @Override
      public void handleAck(long sequence, boolean multiple) {
        settle(opened, sequence, multiple, null);
      }

      @Override
      public void handleNack(long sequence, boolean multiple) {
        settle(opened, sequence, multiple, "the broker refused the message (negative confirm: e.g. its queue is "
            + "full and rejects publishes, or the broker failed to store it)");
      }
    });
    opened.channel.addShutdownListener(cause -> failAll(opened, "the channel closed before the broker confirmed: "
        + Publisher.describe(cause)));
    current = opened;
    return opened;
  }

  /** A confirm for one publish, or for every publish up to it. */
  private void settle(ConfirmChannel channel, long sequence, boolean multiple, String refused) {
    NavigableMap<Long, Pending> covered = multiple ? channel.outstanding.headMap(sequence, true)
        : channel.outstanding.subMap(sequence, true, sequence, true);
    for (Map.Entry<Long, Pending> entry : covered.entrySet()) {
      Pending pending = entry.getValue();
      if (!channel.outstanding.remove(entry.getKey(), pending)) {
        continue;
      }
      // the broker sends a basic.return before the confirm of the same message
      String returned = channel.returned.remove(pending.messageId());
      if (refused != null) {
        report(pending, refused);
      } else if (returned != null) {
        report(pending, "unroutable: no queue is bound to routing key '" + pending.routingKey() + "' on exchange '"
            + pending.exchange() + "' (broker: " + returned + ")");
      }
    }
  }

  /**
   * Says when confirms are overdue, without failing them: a confirm that is late is not a message lost. The broker
   * may be blocked by a resource alarm and deliver everything once it clears; taking the message for undelivered
   * would then queue a second attempt beside the first. A publish fails only on the broker's refusal, a return, or
   * its channel closing; the scheduler's lost-dispatch rule covers one that never arrives.
   */
  private void expire() {
    ConfirmChannel channel;
    synchronized (lock) {
      channel = current;
    }
    if (channel == null) {
      return;
    }
    long now = System.nanoTime();
    long overdue = channel.outstanding.values().stream().filter(p -> now - p.deadlineNanos() >= 0).count();
    if (overdue > 0 && now - lastOverdueWarning >= confirmTimeout.toNanos()) {
      lastOverdueWarning = now;
      LOG.warn("{} publish(es) have waited more than {} ms for the broker's confirm (broker busy, or blocked by a "
          + "resource alarm); they stay pending until it confirms, refuses or the channel closes", overdue,
          confirmTimeout.toMillis());
    }
  }

  private void failAll(ConfirmChannel channel, String reason) {
    for (Map.Entry<Long, Pending> entry : channel.outstanding.entrySet()) {
      if (channel.outstanding.remove(entry.getKey(), entry.getValue())) {
        report(entry.getValue(), reason);
      }
    }
  }

  private void report(Pending pending, String reason) {
    try {
      callbacks.execute(() -> tell(pending, reason));
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      tell(pending, reason);
    }
  }

  private static void tell(Pending pending, String reason) {
    try {
      pending.onFailure().accept(reason);
    } catch (RuntimeException failed) {
      LOG.warn("handling the failed delivery of message {} failed: {}", pending.messageId(), failed.getMessage());
    }
  }

  /**
   * Waits up to the confirm timeout for what is outstanding, reports the rest as not confirmed, and closes the
   * channel. Idempotent.
   */
  @Override
  public void close() {
    ConfirmChannel channel;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      channel = current;
    }
    long deadline = System.nanoTime() + confirmTimeout.toNanos();
    while (channel != null && !channel.outstanding.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    timer.shutdownNow();
    if (channel != null) {
      failAll(channel, "the transport closed before the broker confirmed");
      Publisher.closeQuietly(channel.channel);
    }
    callbacks.shutdown();
    try {
      if (!callbacks.awaitTermination(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("failed deliveries were still being handled when the transport closed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }

  /** A publish waiting for its confirm. */
  private record Pending(String messageId, String exchange, String routingKey, long deadlineNanos,
      Consumer<String> onFailure) {
  }

  /** A channel in confirm mode with what waits for a confirm on it, by sequence number. */
  private static final class ConfirmChannel {
    final Channel channel;
    final ConcurrentSkipListMap<Long, Pending> outstanding = new ConcurrentSkipListMap<>();
    final Map<String, String> returned;

    ConfirmChannel(Channel channel, Map<String, String> returned) {
      this.channel = channel;
      this.returned = returned;
    }
  }
}
