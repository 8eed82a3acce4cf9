package io.attune.worker.adapter.rabbitmq.broker;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import io.attune.worker.core.error.InfrastructureException;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection of an adapter: opened with automatic recovery (connection, channels, topology and consumers,
 * retried every second), watched so that losing and regaining it is logged and a broker's block of publishers is
 * known, closed once.
 */
public final class BrokerConnection {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerConnection.class);

  static final int RECOVERY_INTERVAL_MILLIS = 1_000;
  private static final int CONNECTION_TIMEOUT_MILLIS = 5_000;
  private static final int HEARTBEAT_SECONDS = 20;
  /** The longest any one call waits for the broker's answer (declare, bind, close a channel). */
  static final int RPC_TIMEOUT_MILLIS = 15_000;

  private final RabbitSettings settings;
  private final Connection connection;
  private final AtomicBoolean closing = new AtomicBoolean();
  /** The broker's reason while it blocks this connection's publishes ({@code connection.blocked}), else null. */
  private final AtomicReference<String> blocked = new AtomicReference<>();

  private BrokerConnection(RabbitSettings settings, Connection connection) {
    this.settings = settings;
    this.connection = connection;
  }

  /**
   * Opens the connection and starts watching it.
   *
   * @throws InfrastructureException naming the broker, password masked, when it cannot be reached or refuses
   */
  public static BrokerConnection open(RabbitSettings settings) {
    return open(settings, RabbitSettings.CLIENT_INBOUND_LIMIT_BYTES);
  }

  /**
   * Opens the connection with another limit on inbound bodies than {@link RabbitSettings#CLIENT_INBOUND_LIMIT_BYTES}:
   * for a test that shows what a delivery above it does to the connection.
   */
  public static BrokerConnection open(RabbitSettings settings, int maxInboundBodyBytes) {
    Connection connection;
    try {
      connection = factory(settings, maxInboundBodyBytes).newConnection(settings.connectionName());
    } catch (IOException | TimeoutException | ShutdownSignalException e) {
      throw new InfrastructureException("connect to RabbitMQ", "cannot connect to " + settings.maskedUrl() + ": "
          + scrub(Publisher.describe(e), settings), e);
    }
    BrokerConnection opened = new BrokerConnection(settings, connection);
    opened.watch();
    return opened;
  }

  public static ConnectionFactory factory(RabbitSettings settings) {
    return factory(settings, RabbitSettings.CLIENT_INBOUND_LIMIT_BYTES);
  }

  private static ConnectionFactory factory(RabbitSettings settings, int maxInboundBodyBytes) {
    RabbitSettings.Endpoint endpoint = settings.endpoint();
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(endpoint.host());
    factory.setPort(endpoint.port());
    factory.setUsername(endpoint.username());
    factory.setPassword(endpoint.password());
    factory.setVirtualHost(endpoint.virtualHost());
    if (endpoint.tls()) {
      try {
        // the JVM's trust store and host-name checks, not the library's trust-everything default
        factory.useSslProtocol(SSLContext.getDefault());
        factory.enableHostnameVerification();
      } catch (NoSuchAlgorithmException e) {
        throw new InfrastructureException("connect to RabbitMQ", "TLS is not available in this JVM", e);
      }
    }
    factory.setAutomaticRecoveryEnabled(true);
    factory.setTopologyRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(RECOVERY_INTERVAL_MILLIS);
    factory.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
    factory.setRequestedHeartbeat(HEARTBEAT_SECONDS);
    // every call that waits for the broker has a deadline: a broker blocked by a resource alarm stops reading from a
    // connection that published, and the library's default (10 minutes) would hold a caller as long
    factory.setChannelRpcTimeout(RPC_TIMEOUT_MILLIS);
    factory.setShutdownTimeout(CONNECTION_TIMEOUT_MILLIS);
    // A delivery above this limit makes the library close the whole connection (not only the consumer's channel);
    // recovery reopens it and the broker redelivers the same message: a crash loop that only a purge ends on a
    // classic queue. So the limit sits above the max_message_size of every broker this project configures (8 MiB):
    // whatever they accept arrives, and the consumers refuse it by the settings' far smaller cap, unread, with the
    // connection intact. See RabbitSettings.CLIENT_INBOUND_LIMIT_BYTES.
    factory.setMaxInboundMessageBodySize(maxInboundBodyBytes);
    return factory;
  }

  private void watch() {
    connection.addShutdownListener(cause -> {
      // a block holds for one connection: the broker blocks the recovered one anew if it publishes in an alarm
      blocked.set(null);
      if (!cause.isInitiatedByApplication()) {
        // a failure of the client itself (e.g. a delivery above the inbound limit) says only "connection error":
        // name what failed
        String failure = cause.getReason() == null && cause.getCause() != null
            ? ": " + Publisher.describe(cause.getCause()) : "";
        LOG.warn("lost the connection to RabbitMQ at {}: {}{}; recovering every {} ms", settings.maskedUrl(),
            scrub(Publisher.describe(cause), settings), scrub(failure, settings), RECOVERY_INTERVAL_MILLIS);
      }
    });
    connection.addBlockedListener(
        reason -> {
          blocked.set(reason == null || reason.isBlank() ? "blocked by the broker" : reason);
          LOG.warn("RabbitMQ blocks publishing ({}): publishes will time out until it unblocks", reason);
        },
        () -> {
          blocked.set(null);
          LOG.info("RabbitMQ accepts publishing again");
        });
    if (connection instanceof Recoverable recoverable) {
      recoverable.addRecoveryListener(new RecoveryListener() {
        @Override
        public void handleRecovery(Recoverable recovered) {
          LOG.info("connection to RabbitMQ at {} recovered", settings.maskedUrl());
        }

        @Override
        public void handleRecoveryStarted(Recoverable recovering) {
          LOG.info("reconnecting to RabbitMQ at {}", settings.maskedUrl());
        }
      });
    }
  }

  public RabbitSettings settings() {
    return settings;
  }

  /** The library's connection, for the publisher's channel pool. */
  public Connection connection() {
    return connection;
  }

  /**
   * A new channel.
   *
   * @throws InfrastructureException naming the operation when the adapter is closing or no channel is left
   */
  public Channel createChannel(String operation) throws IOException {
    requireOpen(operation);
    Channel channel = connection.createChannel();
    if (channel == null) {
      throw new InfrastructureException(operation, "the broker has no channel number left");
    }
    return channel;
  }

  /** @throws InfrastructureException naming the operation once closing has begun */
  void requireOpen(String operation) {
    if (closing.get()) {
      throw new InfrastructureException(operation, "the RabbitMQ transport is closed");
    }
  }

  /**
   * The broker's reason while it blocks this connection's publishes (a memory or disk alarm, e.g.
   * {@code low on memory}); empty otherwise. The broker blocks a connection when it publishes during an alarm, so
   * this turns present at the first publish after the alarm, and empty again when the alarm clears.
   */
  public Optional<String> blockedReason() {
    return Optional.ofNullable(blocked.get());
  }

  /** True while the connection is up (false during a recovery and once closing has begun). */
  public boolean isOpen() {
    return !closing.get() && connection.isOpen();
  }

  /** Refuses new work from now on; true only for the first call, which then owes a {@link #disconnect()}. */
  public boolean beginClosing() {
    return closing.compareAndSet(false, true);
  }

  /** Closes the connection itself; the last step of closing. */
  public void disconnect() {
    try {
      connection.close(CONNECTION_TIMEOUT_MILLIS);
    } catch (IOException | ShutdownSignalException e) {
      LOG.debug("closing the connection failed: {}", Publisher.describe(e));
    }
    LOG.info("disconnected from RabbitMQ at {}", settings.maskedUrl());
  }

  /** The message without the broker's password, which a library message may quote. */
  static String scrub(String message, RabbitSettings settings) {
    String password = settings.endpoint().password();
    return message == null || password.length() < 4 ? message : message.replace(password, "****");
  }
}
