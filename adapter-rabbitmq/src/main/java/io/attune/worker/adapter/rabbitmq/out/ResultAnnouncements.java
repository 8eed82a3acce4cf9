package io.attune.worker.adapter.rabbitmq.out;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.attune.worker.adapter.rabbitmq.broker.AsyncPublisher;
import io.attune.worker.adapter.rabbitmq.broker.EnvelopePublisher;
import io.attune.worker.adapter.rabbitmq.broker.MessageType;
import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.adapter.rabbitmq.broker.ResultMessage;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.port.out.ExecutionObserver;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces that an execution ended, to {@code execution.result.{id}}: confirmed, but not mandatory, since nobody
 * may be listening and the database holds the outcome anyway.
 */
public final class ResultAnnouncements {

  private static final Logger LOG = LoggerFactory.getLogger(ResultAnnouncements.class);

  private final EnvelopePublisher publisher;
  private final AsyncPublisher confirmedLater;
  private final ExecutionObserver observer;

  public ResultAnnouncements(EnvelopePublisher publisher, AsyncPublisher confirmedLater, ExecutionObserver observer) {
    this.publisher = publisher;
    this.confirmedLater = confirmedLater;
    this.observer = observer;
  }

  /**
   * Publishes the announcement and waits for the broker's confirm.
   *
   * @param attempt the attempt that ended; 0 for an execution never placed
   * @param status a terminal status
   * @throws IllegalArgumentException when the status is not terminal
   * @throws InfrastructureException when the broker did not confirm (the adapter's observer is told first)
   */
  public void publish(ExecutionId id, int attempt, ExecutionStatus status) {
    ObjectNode payload = payload(id, attempt, status);
    try {
      publisher.publish(operation(id), RabbitTopology.resultRoutingKey(id), false, MessageType.RESULT, payload);
    } catch (InfrastructureException notPublished) {
      observer.resultNotPublished(id, notPublished.getMessage());
      throw notPublished;
    }
  }

  /**
   * Announces how the execution ended without waiting for the broker's confirm, and only logs a failure to, now or
   * once the broker answers: the announcement saves its listeners a polling round, no more, so the worker's thread
   * is not held for the broker's round trip.
   */
  public void announce(Execution ended) {
    ExecutionId id = ended.id();
    try {
      publisher.publishConfirmedLater(confirmedLater, operation(id), RabbitTopology.resultRoutingKey(id), false,
          MessageType.RESULT, payload(id, ended.attempt(), ended.status()), why -> notAnnounced(id, why));
    } catch (InfrastructureException notSent) {
      notAnnounced(id, notSent.getMessage());
    }
  }

  private void notAnnounced(ExecutionId id, String why) {
    observer.resultNotPublished(id, why);
    LOG.warn("execution {}: result stored but not announced: {}", id, why);
  }

  private static String operation(ExecutionId id) {
    return "publish the result of execution " + id;
  }

  private ObjectNode payload(ExecutionId id, int attempt, ExecutionStatus status) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    if (!status.isTerminal()) {
      throw new IllegalArgumentException("status '" + status.wireName() + "' of execution " + id
          + " is not terminal: expected succeeded, failed, timed_out, cancelled, abandoned or unschedulable");
    }
    return publisher.codec().resultPayload(new ResultMessage(id, attempt, status.wireName()));
  }
}
