package io.attune.worker.adapter.rabbitmq.out;

import io.attune.worker.adapter.rabbitmq.broker.EnvelopePublisher;
import io.attune.worker.adapter.rabbitmq.broker.MessageType;
import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.adapter.rabbitmq.broker.StopMessage;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.out.StopSignals;
import java.util.Objects;

/**
 * The core's {@link StopSignals} over RabbitMQ: one confirmed, mandatory {@code execution.cancel} to
 * {@code execution.cancel.worker.{id}}. Mandatory, so that "no process of that worker listens" is an answer (the
 * worker is down or restarting) rather than a message lost without a word.
 */
public final class StopRequests implements StopSignals {

  private final EnvelopePublisher publisher;

  public StopRequests(EnvelopePublisher publisher) {
    this.publisher = publisher;
  }

  /**
   * @throws IllegalArgumentException when the execution has no worker
   * @throws io.attune.worker.core.error.InfrastructureException when not confirmed, or when no process of the
   *     worker is listening
   */
  @Override
  public void requestStop(Execution execution) {
    Objects.requireNonNull(execution, "execution");
    WorkerId worker = execution.worker().orElseThrow(() -> new IllegalArgumentException("execution "
        + execution.id() + " is " + execution.status().wireName() + " on no worker: nothing to stop"));
    StopMessage message = new StopMessage(execution.id(), execution.attempt());
    publisher.publish("ask worker " + worker + " to stop execution " + execution.id() + " (attempt "
        + execution.attempt() + ")", RabbitTopology.stopRoutingKey(worker), true, MessageType.STOP,
        publisher.codec().stopPayload(message));
  }
}
