package io.attune.worker.adapter.rabbitmq.out;

import io.attune.worker.adapter.rabbitmq.broker.AsyncPublisher;
import io.attune.worker.adapter.rabbitmq.broker.DispatchMessage;
import io.attune.worker.adapter.rabbitmq.broker.EnvelopePublisher;
import io.attune.worker.adapter.rabbitmq.broker.MessageType;
import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.port.in.UndeliveredDispatchUseCase;
import io.attune.worker.core.port.out.Dispatcher;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's {@link Dispatcher} over RabbitMQ: one confirmed, mandatory {@code execution.dispatch} per attempt.
 * Either it waits for each confirm, or (given an {@link UndeliveredDispatchUseCase}) it returns once the message is
 * sent, and a dispatch that turns out not to be delivered is handed to that use case, which requeues it.
 */
public final class RabbitDispatcher implements Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(RabbitDispatcher.class);

  private final EnvelopePublisher publisher;
  private final Optional<ConfirmedLater> confirmedLater;
  /** Why the broker blocks publishers right now, if it does. */
  private final Supplier<Optional<String>> blocked;

  /** The confirm later: where from, and who is told of an undelivered dispatch. */
  public record ConfirmedLater(AsyncPublisher publisher, UndeliveredDispatchUseCase undelivered) {
  }

  public RabbitDispatcher(EnvelopePublisher publisher, Supplier<Optional<String>> blocked) {
    this.publisher = publisher;
    this.confirmedLater = Optional.empty();
    this.blocked = blocked;
  }

  public RabbitDispatcher(EnvelopePublisher publisher, ConfirmedLater confirmedLater,
      Supplier<Optional<String>> blocked) {
    this.publisher = publisher;
    this.confirmedLater = Optional.of(confirmedLater);
    this.blocked = blocked;
  }

  /**
   * Present while a dispatch cannot be sent: the broker blocks publishers ({@code connection.blocked}), so it would
   * only wait, or the connection is down and recovering, so it would fail at once. Either way the scheduler places
   * nothing meanwhile: a failure to send is no delivery, and must not count against an execution's redeliveries.
   */
  @Override
  public Optional<String> blocked() {
    return blocked.get();
  }

  /**
   * Publishes {@code execution.dispatch} for the execution's current attempt to {@code execution.dispatch.worker.{id}}
   * and waits for the broker's confirm, or hands a delivery that fails later to the undelivered use case.
   *
   * @throws io.attune.worker.core.error.InfrastructureException when not sent, or (waiting for the confirm) not
   *     confirmed, or when no queue exists for the worker (the message is published as mandatory, so it cannot
   *     vanish silently)
   */
  @Override
  public void dispatch(Execution execution, Worker worker) {
    Objects.requireNonNull(execution, "execution");
    Objects.requireNonNull(worker, "worker");
    DispatchMessage message = new DispatchMessage(execution.id(), execution.attempt(), execution.actionRef());
    String operation = "dispatch execution " + execution.id() + " (attempt " + execution.attempt() + ") to worker "
        + worker.name() + " (id " + worker.id() + ")";
    if (confirmedLater.isEmpty()) {
      publisher.publish(operation, RabbitTopology.dispatchRoutingKey(worker.id()), true, MessageType.DISPATCH,
          publisher.codec().dispatchPayload(message));
      return;
    }
    ConfirmedLater later = confirmedLater.get();
    publisher.publishConfirmedLater(later.publisher(), operation, RabbitTopology.dispatchRoutingKey(worker.id()), true,
        MessageType.DISPATCH, publisher.codec().dispatchPayload(message), reason -> {
          LOG.warn("{} not delivered: {}; requeued", operation, reason);
          later.undelivered().undelivered(execution, worker, reason);
        });
  }
}
