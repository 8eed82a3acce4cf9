package io.attune.worker.adapter.rabbitmq.out;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.port.out.ExecutionEvents;

/**
 * The core's {@link ExecutionEvents} over RabbitMQ: a new execution to the schedulers' request queue (confirmed,
 * mandatory), an end to {@code execution.result.{id}} (confirmed later; a failure is logged and counted).
 */
public final class ExecutionAnnouncements implements ExecutionEvents {

  private final ExecutionRequests requests;
  private final ResultAnnouncements results;

  public ExecutionAnnouncements(ExecutionRequests requests, ResultAnnouncements results) {
    this.requests = requests;
    this.results = results;
  }

  @Override
  public void requested(Execution requested) {
    requests.publish(requested.id());
  }

  @Override
  public void ended(Execution ended) {
    results.announce(ended);
  }
}
