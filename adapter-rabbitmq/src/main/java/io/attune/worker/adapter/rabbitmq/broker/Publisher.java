package io.attune.worker.adapter.rabbitmq.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.attune.worker.core.error.InfrastructureException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one message at a time per channel and waits for the broker's confirm, so a call that returns means
 * the broker has the message (on disk, for a persistent message on a durable queue).
 *
 * <p>Channels in confirm mode are pooled: a channel is never shared by two publishes at once (a confirm wait
 * covers everything outstanding on its channel), and concurrent callers do not queue behind one another's
 * confirms. A mandatory message that no queue takes comes back as a {@code basic.return}, which the broker sends
 * before its confirm; the return is matched to the publish by message id.
 */
public final class Publisher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
  static final int MAX_CHANNELS = 8;

  private final Connection connection;
  private final Duration confirmTimeout;
  private final Supplier<Optional<String>> blocked;
  private final BlockingQueue<ConfirmChannel> idle = new ArrayBlockingQueue<>(MAX_CHANNELS);
  private final Object creation = new Object();
  private int created;
  private volatile boolean closed;

  public Publisher(Connection connection, Duration confirmTimeout) {
    this(connection, confirmTimeout, Optional::empty);
  }

  /** @param blocked why the broker blocks this connection's publishers, while it does: said when a confirm is late */
  public Publisher(Connection connection, Duration confirmTimeout, Supplier<Optional<String>> blocked) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.confirmTimeout = Objects.requireNonNull(confirmTimeout, "confirmTimeout");
    this.blocked = Objects.requireNonNull(blocked, "blocked");
  }

  /**
   * Publishes and waits for the confirm.
   *
   * @throws InfrastructureException naming the operation when the broker is unreachable, refuses (nacks) the
   *     message, does not confirm in time, or returns a mandatory message no queue took
   */
  public void publish(String operation, String exchange, String routingKey, boolean mandatory,
      AMQP.BasicProperties props, byte[] body) {
    ConfirmChannel lease = borrow(operation);
    boolean reusable = false;
    try {
      lease.channel.basicPublish(exchange, routingKey, mandatory, props, body);
      lease.channel.waitForConfirmsOrDie(confirmTimeout.toMillis());
      reusable = true;
      String returned = props.getMessageId() == null ? null : lease.returned.remove(props.getMessageId());
      if (returned != null) {
        throw new InfrastructureException(operation, "unroutable: no queue is bound to routing key '" + routingKey
            + "' on exchange '" + exchange + "' (broker: " + returned + ")");
      }
    } catch (IOException e) {
      throw new InfrastructureException(operation, "the broker did not accept the message (negative confirm or "
          + "I/O failure): " + describe(e), e);
    } catch (TimeoutException e) {
      throw new InfrastructureException(operation, "no publisher confirm within " + confirmTimeout.toMillis()
          + " ms (" + blocked.get().map(reason -> "RabbitMQ blocks publishers: " + reason)
              .orElse("broker busy, blocked by a resource alarm or unreachable") + ")", e);
    } catch (ShutdownSignalException e) {
      throw new InfrastructureException(operation, "the connection to the broker is closed: " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException(operation, "interrupted while waiting for the publisher confirm", e);
    } finally {
      if (reusable) {
        lease.returned.clear();
        release(lease);
      } else {
        discard(lease);
      }
    }
  }

  private ConfirmChannel borrow(String operation) {
    if (closed) {
      throw new InfrastructureException(operation, "the RabbitMQ transport is closed");
    }
    ConfirmChannel lease = idle.poll();
    if (lease != null) {
      return lease;
    }
    synchronized (creation) {
      if (created < MAX_CHANNELS) {
        ConfirmChannel fresh = open(operation);
        created++;
        return fresh;
      }
    }
    try {
      lease = idle.poll(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException(operation, "interrupted while waiting for a publishing channel", e);
    }
    if (lease == null) {
      throw new InfrastructureException(operation, "all " + MAX_CHANNELS + " publishing channels stayed busy for "
          + confirmTimeout.toMillis() + " ms");
    }
    return lease;
  }

  private ConfirmChannel open(String operation) {
    Map<String, String> returned = new ConcurrentHashMap<>();
    return new ConfirmChannel(openConfirming(connection, operation, returned), returned);
  }

  /**
   * Opens a channel in confirm mode that records each mandatory message the broker returns on it in
   * {@code returned}: the reply, by message id, to be matched to its publish when the confirm comes.
   *
   * @throws InfrastructureException naming the operation when no channel can be opened
   */
  static Channel openConfirming(Connection connection, String operation, Map<String, String> returned) {
    try {
      Channel channel = connection.createChannel();
      if (channel == null) {
        throw new InfrastructureException(operation, "the broker has no channel number left for publishing");
      }
      channel.confirmSelect();
      channel.addReturnListener(message -> {
        String id = message.getProperties().getMessageId();
        if (id != null) {
          returned.put(id, message.getReplyCode() + " " + message.getReplyText());
        }
      });
      return channel;
    } catch (IOException | ShutdownSignalException e) {
      throw new InfrastructureException(operation, "cannot open a publishing channel: " + describe(e), e);
    }
  }

  private void release(ConfirmChannel lease) {
    if (closed || !lease.channel.isOpen() || !idle.offer(lease)) {
      discard(lease);
    }
  }

  /**
   * Drops a channel whose publish failed. Aborted, not closed: a close waits for the broker's answer, which a broker
   * blocked by a resource alarm does not send.
   */
  private void discard(ConfirmChannel lease) {
    synchronized (creation) {
      created--;
    }
    try {
      lease.channel.abort();
    } catch (IOException | RuntimeException e) {
      LOG.debug("aborting channel {} failed: {}", lease.channel.getChannelNumber(), describe(e));
    }
  }

  @Override
  public void close() {
    closed = true;
    ConfirmChannel lease;
    while ((lease = idle.poll()) != null) {
      closeQuietly(lease.channel);
    }
  }

  public static void closeQuietly(Channel channel) {
    try {
      if (channel.isOpen()) {
        channel.close();
      }
    } catch (IOException | TimeoutException | ShutdownSignalException e) {
      LOG.debug("closing channel {} failed: {}", channel.getChannelNumber(), describe(e));
    }
  }

  public static String describe(Throwable e) {
    if (e instanceof ShutdownSignalException signal && signal.getReason() != null) {
      return signal.getReason().protocolMethodName() + " " + signal.getMessage();
    }
    Throwable cause = e;
    while (cause.getMessage() == null && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return RabbitSettings.mask(message);
  }

  /** A channel in confirm mode, with the mandatory messages the broker returned on it. */
  private static final class ConfirmChannel {
    final Channel channel;
    final Map<String, String> returned;

    ConfirmChannel(Channel channel, Map<String, String> returned) {
      this.channel = channel;
      this.returned = returned;
    }
  }
}
