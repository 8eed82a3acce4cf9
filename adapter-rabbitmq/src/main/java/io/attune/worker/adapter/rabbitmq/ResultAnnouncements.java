package io.attune.worker.adapter.rabbitmq;

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
  private final ExecutionObserver observer;

  ResultAnnouncements(EnvelopePublisher publisher, ExecutionObserver observer) {
    this.publisher = publisher;
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
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    if (!status.isTerminal()) {
      throw new IllegalArgumentException("status '" + status.wireName() + "' of execution " + id
          + " is not terminal: expected succeeded, failed, timed_out, cancelled, abandoned or unschedulable");
    }
    ResultMessage result = new ResultMessage(id, attempt, status.wireName());
    try {
      publisher.publish("publish the result of execution " + id, RabbitTopology.resultRoutingKey(id), false,
          MessageType.RESULT, publisher.codec().resultPayload(result));
    } catch (InfrastructureException notPublished) {
      observer.resultNotPublished(id, notPublished.getMessage());
      throw notPublished;
    }
  }

  /**
   * Announces how the execution ended, and only logs a failure to: the announcement saves its listeners a polling
   * round, no more.
   */
  public void announce(Execution ended) {
    try {
      publish(ended.id(), ended.attempt(), ended.status());
    } catch (InfrastructureException notAnnounced) {
      LOG.warn("execution {}: result stored but not announced: {}", ended.id(), notAnnounced.getMessage());
    }
  }
}
