package io.attune.worker.adapter.rabbitmq.out;

import io.attune.worker.adapter.rabbitmq.broker.EnvelopePublisher;
import io.attune.worker.adapter.rabbitmq.broker.MessageType;
import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.core.model.execution.ExecutionId;
import java.util.Objects;

/** Tells the schedulers that an execution was stored as requested: {@code execution.request} to their inbox. */
public final class ExecutionRequests {

  private final EnvelopePublisher publisher;

  public ExecutionRequests(EnvelopePublisher publisher) {
    this.publisher = publisher;
  }

  /**
   * Publishes {@code execution.request} to the scheduler's inbox and waits for the confirm.
   *
   * @throws io.attune.worker.core.error.InfrastructureException when not confirmed
   */
  public void publish(ExecutionId id) {
    Objects.requireNonNull(id, "id");
    publisher.publish("publish the request of execution " + id, RabbitTopology.REQUEST_ROUTING_KEY, true,
        MessageType.REQUEST, publisher.codec().requestPayload(id));
  }
}
