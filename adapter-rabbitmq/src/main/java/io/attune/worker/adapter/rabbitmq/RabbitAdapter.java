package io.attune.worker.adapter.rabbitmq;

import io.attune.worker.adapter.rabbitmq.broker.AsyncPublisher;
import io.attune.worker.adapter.rabbitmq.broker.BrokerConnection;
import io.attune.worker.adapter.rabbitmq.broker.EnvelopeCodec;
import io.attune.worker.adapter.rabbitmq.broker.EnvelopePublisher;
import io.attune.worker.adapter.rabbitmq.broker.Publisher;
import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import io.attune.worker.adapter.rabbitmq.broker.TopologyChannel;
import io.attune.worker.adapter.rabbitmq.broker.WorkerQueues;
import io.attune.worker.adapter.rabbitmq.in.Consumers;
import io.attune.worker.adapter.rabbitmq.in.DeadLetters;
import io.attune.worker.adapter.rabbitmq.in.DispatchConsumer;
import io.attune.worker.adapter.rabbitmq.in.RabbitInbox;
import io.attune.worker.adapter.rabbitmq.in.RequestConsumer;
import io.attune.worker.adapter.rabbitmq.in.ResultHandler;
import io.attune.worker.adapter.rabbitmq.in.StopConsumer;
import io.attune.worker.adapter.rabbitmq.out.ExecutionAnnouncements;
import io.attune.worker.adapter.rabbitmq.out.ExecutionRequests;
import io.attune.worker.adapter.rabbitmq.out.RabbitDispatcher;
import io.attune.worker.adapter.rabbitmq.out.ResultAnnouncements;
import io.attune.worker.adapter.rabbitmq.out.StopRequests;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.in.RunExecutionUseCase;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase;
import io.attune.worker.core.port.in.StopExecutionUseCase;
import io.attune.worker.core.port.in.UndeliveredDispatchUseCase;
import io.attune.worker.core.port.out.DispatchInbox;
import io.attune.worker.core.port.out.Dispatcher;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.StopSignals;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RabbitMQ adapter: one connection, the topology of {@link RabbitTopology}, and on top of it the outbound ports
 * (the core's {@link Dispatcher} and {@link StopSignals}, {@link ResultAnnouncements}, {@link ExecutionRequests},
 * {@link WorkerQueues}) and the inbound consumers that drive the core's use cases. Thread-safe; close it once at shutdown.
 *
 * <p>The connection recovers by itself (connection, channels, topology and consumers) after a broker restart or a
 * network failure, retrying every second. While it is down, publishing fails with an
 * {@link InfrastructureException} and consumers simply receive nothing. Every publish is confirmed by the broker
 * within 10 s (dispatches persistent; requests and result announcements transient, since the database holds what
 * they say): a dispatch either waits for its confirm or, through {@link #dispatcher(UndeliveredDispatchUseCase)},
 * hands an undelivered one back; a request waits; a result announcement does not, and a failure to announce is
 * logged. Every failure of the library surfaces as an {@link InfrastructureException}
 * naming the operation; the broker's password never appears in one.
 */
public final class RabbitAdapter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RabbitAdapter.class);
  static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

  private final BrokerConnection broker;
  private final Publisher publisher;
  private final AsyncPublisher confirmedLater;
  private final EnvelopePublisher envelopes;
  private final TopologyChannel topology;
  private final Consumers consumers;
  private final Dispatcher dispatcher;
  private final ResultAnnouncements results;
  private final ExecutionRequests requests;
  private final ExecutionAnnouncements events;
  private final WorkerQueues workerQueues;
  private final StopRequests stops;

  private RabbitAdapter(BrokerConnection broker, Clock clock, ExecutionObserver observer) {
    this.broker = broker;
    EnvelopeCodec codec = new EnvelopeCodec();
    this.publisher = new Publisher(broker.connection(), CONFIRM_TIMEOUT, broker::blockedReason);
    this.confirmedLater = new AsyncPublisher(broker.connection(), CONFIRM_TIMEOUT);
    this.topology = new TopologyChannel(broker);
    this.consumers = new Consumers(broker, new DeadLetters(publisher, codec, broker.settings().maxMessageBytes()),
        codec);
    this.envelopes = new EnvelopePublisher(publisher, codec, clock);
    this.dispatcher = new RabbitDispatcher(envelopes, this::cannotDispatch);
    this.results = new ResultAnnouncements(envelopes, confirmedLater, observer);
    this.requests = new ExecutionRequests(envelopes);
    this.events = new ExecutionAnnouncements(requests, results);
    this.workerQueues = new WorkerQueues(broker, topology);
    this.stops = new StopRequests(envelopes);
  }

  /**
   * Connects to the broker and declares the shared topology (idempotently).
   *
   * @param clock stamps the envelopes' {@code timestamp}
   * @throws InfrastructureException when the broker is unreachable, refuses the credentials, or has a conflicting
   *     declaration of one of the names
   */
  public static RabbitAdapter connect(RabbitSettings settings, Clock clock) {
    return connect(settings, clock, ExecutionObserver.NONE);
  }

  /**
   * Like {@link #connect(RabbitSettings, Clock)}, telling {@code observer} of every result announcement that was not
   * published.
   */
  public static RabbitAdapter connect(RabbitSettings settings, Clock clock, ExecutionObserver observer) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(observer, "observer");
    return connect(BrokerConnection.open(settings), clock, observer);
  }

  /** Like {@link #connect(RabbitSettings, Clock, ExecutionObserver)}, on a connection opened already. */
  static RabbitAdapter connect(BrokerConnection connection, Clock clock, ExecutionObserver observer) {
    RabbitSettings settings = connection.settings();
    RabbitAdapter adapter = new RabbitAdapter(connection, clock, observer);
    try {
      adapter.topology.declareShared();
    } catch (RuntimeException e) {
      adapter.close();
      throw e;
    }
    LOG.info("connected to RabbitMQ at {} as '{}'", settings.maskedUrl(), settings.connectionName());
    return adapter;
  }

  /** The port the scheduler hands a placed execution to its worker through. */
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /**
   * A dispatcher that does not wait for the broker's confirm of each dispatch: it returns once the message is sent,
   * and confirms are collected as they arrive. A dispatch that turns out not to be delivered (refused, unroutable, or
   * outstanding when the connection drops) is handed to {@code undelivered}, which gives the slot back and requeues
   * the execution, as the scheduler does when {@link #dispatcher()} throws. A confirm that is only late (a blocked
   * broker) is waited for.
   */
  public Dispatcher dispatcher(UndeliveredDispatchUseCase undelivered) {
    Objects.requireNonNull(undelivered, "undelivered");
    return new RabbitDispatcher(envelopes, new RabbitDispatcher.ConfirmedLater(confirmedLater, undelivered),
        this::cannotDispatch);
  }

  /**
   * The core's announcements: a new execution to the schedulers, every end to {@code execution.result.{id}}. The
   * use cases make each end known once; give them this.
   */
  public ExecutionEvents events() {
    return events;
  }

  /**
   * The core's {@link DispatchInbox}: a worker's stop requests and its dispatch queue, for an embedded worker
   * ({@code EmbeddedWorker}).
   */
  public DispatchInbox inbox() {
    return new RabbitInbox(workerQueues, consumers);
  }

  /** Announcements that an execution ended. */
  public ResultAnnouncements results() {
    return results;
  }

  /** Announcements that an execution was requested, for the schedulers. */
  public ExecutionRequests requests() {
    return requests;
  }

  /**
   * The port that asks the worker holding a running execution to stop it ({@code execution.cancel}); it fails when
   * no process of that worker listens.
   */
  public StopSignals stopSignals() {
    return stops;
  }

  /** The workers' own queues. */
  public WorkerQueues workerQueues() {
    return workerQueues;
  }

  /**
   * Declares the worker's queue and consumes its dispatches, at most {@code slots} at a time (the worker's
   * concurrency): each is run through the use case, which makes its end known.
   */
  public DispatchConsumer consumeDispatches(WorkerId worker, int slots, RunExecutionUseCase executions) {
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(executions, "executions");
    return DispatchConsumer.start(worker, slots, executions, workerQueues, consumers);
  }

  /**
   * Receives the stop requests for the worker's executions, published from now on, on a queue of this process's
   * own, each handed to the use case.
   */
  public Subscription consumeStops(WorkerId worker, StopExecutionUseCase executions) {
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(executions, "executions");
    return StopConsumer.start(worker, executions, consumers);
  }

  /**
   * Consumes the scheduler's inbox, at most {@code prefetch} requests at a time, each placed through the use case.
   *
   * @param outcomes told what scheduling did with each request, e.g. to log it
   */
  public Subscription consumeRequests(int prefetch, ScheduleExecutionUseCase scheduling,
      Consumer<Scheduling> outcomes) {
    Objects.requireNonNull(scheduling, "scheduling");
    Objects.requireNonNull(outcomes, "outcomes");
    return RequestConsumer.start(prefetch, scheduling, outcomes, consumers);
  }

  /**
   * Receives every result published from now on, on a queue of this subscription's own (see
   * {@link RabbitTopology}): every subscriber sees every result.
   */
  public Subscription consumeResults(ResultHandler handler) {
    Objects.requireNonNull(handler, "handler");
    return consumers.consumeResults(RabbitTopology.ALL_RESULTS_PATTERN, handler);
  }

  /** True while the connection is up (false during a recovery and after {@link #close()}). */
  public boolean isOpen() {
    return broker.isOpen();
  }

  /**
   * The broker's reason while it blocks this adapter's publishes ({@code connection.blocked}: a memory or disk
   * alarm); empty otherwise. While it is present, every publish waits until its confirm times out: a scheduler
   * should place nothing. The broker blocks a connection at its first publish during an alarm, and unblocks it when
   * the alarm clears; a connection lost and recovered starts unblocked. Cheap and thread-safe.
   */
  public Optional<String> publishingBlocked() {
    return broker.blockedReason();
  }

  /**
   * Why a dispatch cannot be sent now, while it cannot: the broker blocks this connection's publishes, or the
   * connection is down and recovering (a broker restart, a network cut). Empty once it can.
   */
  private Optional<String> cannotDispatch() {
    Optional<String> blocked = broker.blockedReason();
    if (blocked.isPresent()) {
      return blocked.map(reason -> "RabbitMQ blocks publishers (" + reason + ")");
    }
    return broker.isOpen() ? Optional.empty()
        : Optional.of("the connection to RabbitMQ at " + broker.settings().maskedUrl() + " is down, recovering");
  }

  /** The settings, password masked in their {@code toString}. */
  public RabbitSettings settings() {
    return broker.settings();
  }

  /**
   * Stops every subscription, gives running handlers up to 10 s in all to finish, and closes the connection.
   * Idempotent.
   */
  @Override
  public void close() {
    if (!broker.beginClosing()) {
      return;
    }
    consumers.closeAll();
    confirmedLater.close();
    publisher.close();
    broker.disconnect();
  }
}
