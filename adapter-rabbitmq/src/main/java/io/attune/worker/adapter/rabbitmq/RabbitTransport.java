package io.attune.worker.adapter.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.out.Dispatcher;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RabbitMQ transport of the distributed roles: one connection, the topology of {@link RabbitTopology},
 * confirmed persistent publishing and manually acknowledged consumers. Thread-safe; close it once at shutdown.
 *
 * <p>The connection recovers by itself (connection, channels, topology and consumers) after a broker restart or a
 * network failure, retrying every second. While it is down, publishing fails with an
 * {@link InfrastructureException} and consumers simply receive nothing. Every publish is persistent and waits up
 * to 10 s for the broker's confirm. Every failure of the library surfaces as an {@link InfrastructureException}
 * naming the operation; the broker's password never appears in one.
 */
public final class RabbitTransport implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RabbitTransport.class);

  static final int RECOVERY_INTERVAL_MILLIS = 1_000;
  static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);
  private static final int CONNECTION_TIMEOUT_MILLIS = 5_000;
  private static final int HEARTBEAT_SECONDS = 20;
  private static final int RESULT_PREFETCH = 4;
  private static final int MAX_PREFETCH = 65_535;
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);
  private static final String CONTENT_TYPE = "application/json";
  private static final String APP_ID = "attune-worker";

  private final RabbitSettings settings;
  private final Clock clock;
  private final Connection connection;
  private final EnvelopeCodec codec = new EnvelopeCodec();
  private final Publisher publisher;
  private final DeadLetters deadLetters;
  private final Object topologyLock = new Object();
  private final Set<ConsumerSubscription<?>> subscriptions = ConcurrentHashMap.newKeySet();
  private final Dispatcher dispatcher = this::dispatch;
  private Channel topology;
  private volatile boolean closed;

  private RabbitTransport(RabbitSettings settings, Clock clock, Connection connection, Duration confirmTimeout) {
    this.settings = settings;
    this.clock = clock;
    this.connection = connection;
    this.publisher = new Publisher(connection, confirmTimeout);
    this.deadLetters = new DeadLetters(publisher);
  }

  /**
   * Connects to the broker and declares the shared topology (idempotently).
   *
   * @param clock stamps the envelopes' {@code timestamp}
   * @throws InfrastructureException when the broker is unreachable, refuses the credentials, or has a conflicting
   *     declaration of one of the names
   */
  public static RabbitTransport connect(RabbitSettings settings, Clock clock) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(clock, "clock");
    Connection connection;
    try {
      connection = factory(settings).newConnection(settings.connectionName());
    } catch (IOException | TimeoutException | ShutdownSignalException e) {
      throw new InfrastructureException("connect to RabbitMQ", "cannot connect to " + settings.maskedUrl() + ": "
          + scrub(Publisher.describe(e), settings), e);
    }
    RabbitTransport transport = new RabbitTransport(settings, clock, connection, CONFIRM_TIMEOUT);
    try {
      transport.watch();
      transport.declareSharedTopology();
    } catch (RuntimeException e) {
      transport.close();
      throw e;
    }
    LOG.info("connected to RabbitMQ at {} as '{}'", settings.maskedUrl(), settings.connectionName());
    return transport;
  }

  static ConnectionFactory factory(RabbitSettings settings) {
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
    return factory;
  }

  private void watch() {
    connection.addShutdownListener(cause -> {
      if (!cause.isInitiatedByApplication()) {
        LOG.warn("lost the connection to RabbitMQ at {}: {}; recovering every {} ms", settings.maskedUrl(),
            scrub(Publisher.describe(cause), settings), RECOVERY_INTERVAL_MILLIS);
      }
    });
    connection.addBlockedListener(
        reason -> LOG.warn("RabbitMQ blocks publishing ({}): publishes will time out until it unblocks", reason),
        () -> LOG.info("RabbitMQ accepts publishing again"));
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

  /** The port implementation the scheduler uses to hand an execution to its worker. */
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /**
   * Declares the worker's durable queue {@code worker.{id}.executions} and binds it with
   * {@code execution.dispatch.worker.{id}} (idempotent). A worker calls it before it registers, so nothing
   * dispatched to it is lost.
   */
  public void declareWorkerQueue(WorkerId worker) {
    Objects.requireNonNull(worker, "worker");
    String queue = RabbitTopology.workerQueue(worker);
    Map<String, Object> arguments = new HashMap<>(deadLettered());
    arguments.put("x-expires", (int) settings.workerQueueExpiry().toMillis());
    try {
      onTopology("declare queue " + queue, channel -> channel.queueDeclare(queue, true, false, false, arguments));
    } catch (InfrastructureException refused) {
      if (!String.valueOf(refused.getMessage()).contains("x-expires")) {
        throw refused;
      }
      // declared by an older version, without an expiry: keep using it as it is (RabbitMQ cannot change a queue's
      // arguments); deleting it would lose what it holds. It expires once an operator re-creates it.
      LOG.warn("queue {} exists without x-expires (declared by an older version): used as it is", queue);
      onTopology("check queue " + queue, channel -> channel.queueDeclarePassive(queue));
    }
    onTopology("bind queue " + queue, channel -> channel.queueBind(queue, RabbitTopology.EXECUTIONS_EXCHANGE,
        RabbitTopology.dispatchRoutingKey(worker)));
  }

  /**
   * Deletes the worker's queue and whatever is still in it: for a worker that is gone for good. The executions it
   * held are still in the database; recover them there.
   */
  public void deleteWorkerQueue(WorkerId worker) {
    Objects.requireNonNull(worker, "worker");
    String queue = RabbitTopology.workerQueue(worker);
    onTopology("delete queue " + queue, channel -> channel.queueDelete(queue));
  }

  /**
   * The number of dispatches waiting in the worker's queue (not counting those delivered and not yet
   * acknowledged).
   *
   * @throws InfrastructureException also when the queue does not exist
   */
  public long pendingDispatches(WorkerId worker) {
    Objects.requireNonNull(worker, "worker");
    String queue = RabbitTopology.workerQueue(worker);
    String operation = "count messages in " + queue;
    // a passive declare of a missing queue closes its channel: use a throwaway one
    try (Channel channel = connection.createChannel()) {
      return channel.queueDeclarePassive(queue).getMessageCount();
    } catch (IOException | TimeoutException | ShutdownSignalException e) {
      throw new InfrastructureException(operation, Publisher.describe(e), e);
    }
  }

  /**
   * Publishes {@code execution.dispatch} for the execution's current attempt to {@code execution.dispatch.worker.{id}}
   * and waits for the broker's confirm.
   *
   * @throws InfrastructureException when not confirmed, or when no queue exists for the worker (the message is
   *     published as mandatory, so it cannot vanish silently)
   */
  private void dispatch(Execution execution, Worker worker) {
    Objects.requireNonNull(execution, "execution");
    Objects.requireNonNull(worker, "worker");
    DispatchMessage message = new DispatchMessage(execution.id(), execution.attempt(), execution.actionRef());
    String operation = "dispatch execution " + execution.id() + " (attempt " + execution.attempt() + ") to worker "
        + worker.name() + " (id " + worker.id() + ")";
    publish(operation, RabbitTopology.dispatchRoutingKey(worker.id()), true, MessageType.DISPATCH,
        codec.dispatchPayload(message));
  }

  /**
   * Consumes the worker's dispatches: at most {@code prefetch} at a time (the worker's concurrency), each
   * acknowledged only once the handler returned. Declares the worker's queue first.
   */
  public Subscription consumeDispatches(WorkerId worker, int prefetch, DispatchHandler handler) {
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(handler, "handler");
    declareWorkerQueue(worker);
    return subscribe(RabbitTopology.workerQueue(worker), prefetch, false,
        body -> codec.readDispatch(codec.read(body, MessageType.DISPATCH)), handler::handle);
  }

  /** Publishes {@code execution.request} to the scheduler's inbox and waits for the confirm. */
  public void publishExecutionRequest(ExecutionId id) {
    Objects.requireNonNull(id, "id");
    publish("publish the request of execution " + id, RabbitTopology.REQUEST_ROUTING_KEY, true, MessageType.REQUEST,
        codec.requestPayload(id));
  }

  /** Consumes the scheduler's inbox, at most {@code prefetch} requests at a time; same acknowledgement rules. */
  public Subscription consumeExecutionRequests(int prefetch, RequestHandler handler) {
    Objects.requireNonNull(handler, "handler");
    return subscribe(RabbitTopology.REQUEST_QUEUE, prefetch, false,
        body -> codec.readRequest(codec.read(body, MessageType.REQUEST)), handler::handle);
  }

  /**
   * Announces that an execution ended, to {@code execution.result.{id}}; confirmed, but not mandatory: nobody may
   * be listening, and the database holds the outcome anyway.
   *
   * @param attempt the attempt that ended; 0 for an execution never placed
   * @param status the wire name of a terminal status, such as {@code succeeded}
   */
  public void publishResult(ExecutionId id, int attempt, String status) {
    ResultMessage result = new ResultMessage(id, attempt, status);
    if (!result.executionStatus().isTerminal()) {
      throw new IllegalArgumentException("status '" + status + "' of execution " + id
          + " is not terminal: expected succeeded, failed, timed_out, cancelled, abandoned or unschedulable");
    }
    publish("publish the result of execution " + id, RabbitTopology.resultRoutingKey(id), false, MessageType.RESULT,
        codec.resultPayload(result));
  }

  /**
   * Receives every result published from now on, on a queue of this subscription's own (see
   * {@link RabbitTopology}): every subscriber sees every result.
   */
  public Subscription consumeResults(ResultHandler handler) {
    return subscribeResults(RabbitTopology.ALL_RESULTS_PATTERN, handler);
  }

  /**
   * Receives the results of one execution only, published from now on: for a client that waits for its own
   * submission. Subscribe before you publish the request, then also read the database, in case it already ended.
   */
  public Subscription consumeResultsOf(ExecutionId id, ResultHandler handler) {
    Objects.requireNonNull(id, "id");
    return subscribeResults(RabbitTopology.resultRoutingKey(id), handler);
  }

  private Subscription subscribeResults(String bindingKey, ResultHandler handler) {
    Objects.requireNonNull(handler, "handler");
    return subscribe(RabbitTopology.RESULT_QUEUE_PREFIX + UUID.randomUUID(), RESULT_PREFETCH, true,
        body -> codec.readResult(codec.read(body, MessageType.RESULT)), handler::handle, bindingKey);
  }

  /** True while the connection is up (false during a recovery and after {@link #close()}). */
  public boolean isOpen() {
    return !closed && connection.isOpen();
  }

  /** The settings, password masked in their {@code toString}. */
  public RabbitSettings settings() {
    return settings;
  }

  /**
   * Stops every subscription, gives running handlers up to 10 s in all to finish, and closes
   * the connection. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
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
    publisher.close();
    try {
      connection.close(CONNECTION_TIMEOUT_MILLIS);
    } catch (IOException | ShutdownSignalException e) {
      LOG.debug("closing the connection failed: {}", Publisher.describe(e));
    }
    LOG.info("disconnected from RabbitMQ at {}", settings.maskedUrl());
  }

  private <T> Subscription subscribe(String queue, int prefetch, boolean temporary,
      ConsumerSubscription.Reader<T> reader, ConsumerSubscription.Handler<T> handler, String... bindingKeys) {
    if (prefetch < 1 || prefetch > MAX_PREFETCH) {
      throw new IllegalArgumentException("prefetch must be between 1 and " + MAX_PREFETCH + ", was " + prefetch);
    }
    if (closed) {
      throw new InfrastructureException("consume from " + queue, "the RabbitMQ transport is closed");
    }
    String operation = "consume from " + queue;
    Channel channel = null;
    try {
      channel = connection.createChannel();
      if (channel == null) {
        throw new InfrastructureException(operation, "the broker has no channel number left");
      }
      if (temporary) {
        // declared on the subscription's own channel, which lives as long as the queue: recovery redeclares it
        channel.queueDeclare(queue, false, true, true, deadLettered());
        for (String key : bindingKeys) {
          channel.queueBind(queue, RabbitTopology.EXECUTIONS_EXCHANGE, key);
        }
      }
      ConsumerSubscription<T> subscription = new ConsumerSubscription<>(queue, channel, prefetch, reader, handler,
          deadLetters, temporary, subscriptions::remove);
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

  private void publish(String operation, String routingKey, boolean mandatory, MessageType type,
      com.fasterxml.jackson.databind.node.ObjectNode payload) {
    MessageEnvelope envelope = MessageEnvelope.create(type, clock.instant(), payload);
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .contentType(CONTENT_TYPE)
        .contentEncoding("utf-8")
        .deliveryMode(2)
        .messageId(envelope.messageId().toString())
        .type(type.wireName())
        .timestamp(Date.from(envelope.timestamp()))
        .appId(APP_ID)
        .build();
    publisher.publish(operation, RabbitTopology.EXECUTIONS_EXCHANGE, routingKey, mandatory, props,
        codec.write(envelope));
    LOG.debug("{}: published {} as {}", operation, type.wireName(), envelope.messageId());
  }

  private void declareSharedTopology() {
    onTopology("declare the shared topology", channel -> {
      channel.exchangeDeclare(RabbitTopology.EXECUTIONS_EXCHANGE, BuiltinExchangeType.TOPIC, true);
      channel.exchangeDeclare(RabbitTopology.DEAD_LETTER_EXCHANGE, BuiltinExchangeType.FANOUT, true);
      channel.queueDeclare(RabbitTopology.DEAD_LETTER_QUEUE, true, false, false, null);
      channel.queueBind(RabbitTopology.DEAD_LETTER_QUEUE, RabbitTopology.DEAD_LETTER_EXCHANGE, "");
      channel.queueDeclare(RabbitTopology.REQUEST_QUEUE, true, false, false, deadLettered());
      channel.queueBind(RabbitTopology.REQUEST_QUEUE, RabbitTopology.EXECUTIONS_EXCHANGE,
          RabbitTopology.REQUEST_ROUTING_KEY);
      return null;
    });
  }

  private static Map<String, Object> deadLettered() {
    return Map.of("x-dead-letter-exchange", RabbitTopology.DEAD_LETTER_EXCHANGE);
  }

  /** A declaration on the long-lived topology channel. */
  @FunctionalInterface
  private interface TopologyCall<R> {
    R run(Channel channel) throws IOException;
  }

  /**
   * Runs declarations on one long-lived channel: the client re-declares what was declared on a channel that is
   * still open when the connection recovers. A declaration the broker refuses closes the channel; the next call
   * opens a fresh one.
   */
  private <R> R onTopology(String operation, TopologyCall<R> call) {
    if (closed) {
      throw new InfrastructureException(operation, "the RabbitMQ transport is closed");
    }
    synchronized (topologyLock) {
      try {
        if (topology == null || !topology.isOpen()) {
          topology = connection.createChannel();
          if (topology == null) {
            throw new InfrastructureException(operation, "the broker has no channel number left");
          }
        }
        return call.run(topology);
      } catch (IOException | ShutdownSignalException e) {
        throw new InfrastructureException(operation, Publisher.describe(e), e);
      }
    }
  }

  private static String scrub(String message, RabbitSettings settings) {
    String password = settings.endpoint().password();
    return message == null || password.length() < 4 ? message : message.replace(password, "****");
  }
}
