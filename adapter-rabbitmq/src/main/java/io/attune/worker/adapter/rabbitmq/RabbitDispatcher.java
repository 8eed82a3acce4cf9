package io.attune.worker.adapter.rabbitmq;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.port.out.Dispatcher;
import java.util.Objects;

/** The core's {@link Dispatcher} over RabbitMQ: one confirmed, mandatory {@code execution.dispatch} per attempt. */
final class RabbitDispatcher implements Dispatcher {

  private final EnvelopePublisher publisher;

  RabbitDispatcher(EnvelopePublisher publisher) {
    this.publisher = publisher;
  }

  /**
   * Publishes {@code execution.dispatch} for the execution's current attempt to {@code execution.dispatch.worker.{id}}
   * and waits for the broker's confirm.
   *
   * @throws io.attune.worker.core.error.InfrastructureException when not confirmed, or when no queue exists for the
   *     worker (the message is published as mandatory, so it cannot vanish silently)
   */
  @Override
  public void dispatch(Execution execution, Worker worker) {
    Objects.requireNonNull(execution, "execution");
    Objects.requireNonNull(worker, "worker");
    DispatchMessage message = new DispatchMessage(execution.id(), execution.attempt(), execution.actionRef());
    String operation = "dispatch execution " + execution.id() + " (attempt " + execution.attempt() + ") to worker "
        + worker.name() + " (id " + worker.id() + ")";
    publisher.publish(operation, RabbitTopology.dispatchRoutingKey(worker.id()), true, MessageType.DISPATCH,
        publisher.codec().dispatchPayload(message));
  }
}
