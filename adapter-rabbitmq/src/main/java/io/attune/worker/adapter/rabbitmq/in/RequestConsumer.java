package io.attune.worker.adapter.rabbitmq.in;

import io.attune.worker.adapter.rabbitmq.broker.EnvelopeCodec;
import io.attune.worker.adapter.rabbitmq.broker.MessageType;
import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The scheduler side: takes execution requests off the scheduler's inbox and places each through the core's
 * {@link ScheduleExecutionUseCase}. A request whose scheduling fails on PostgreSQL or RabbitMQ is acknowledged all
 * the same: the execution stays requested in the database, where the scheduler's sweep finds it again.
 */
public final class RequestConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(RequestConsumer.class);

  private final ScheduleExecutionUseCase scheduling;
  private final Consumer<Scheduling> outcomes;

  private RequestConsumer(ScheduleExecutionUseCase scheduling, Consumer<Scheduling> outcomes) {
    this.scheduling = scheduling;
    this.outcomes = outcomes;
  }

  /** Starts consuming, at most {@code prefetch} requests at a time; each outcome goes to {@code outcomes}. */
  public static Subscription start(int prefetch, ScheduleExecutionUseCase scheduling, Consumer<Scheduling> outcomes,
      Consumers consumers) {
    RequestConsumer consumer = new RequestConsumer(scheduling, outcomes);
    return consumers.consume(RabbitTopology.REQUEST_QUEUE, prefetch, MessageType.REQUEST,
        EnvelopeCodec::readRequest, consumer::handle);
  }

  private void handle(ExecutionId id) {
    try (MDC.MDCCloseable logged = MDC.putCloseable(DispatchConsumer.EXECUTION_ID_LOG_KEY, id.toString())) {
      schedule(id);
    }
  }

  private void schedule(ExecutionId id) {
    Scheduling result;
    try {
      result = scheduling.schedule(id);
    } catch (InfrastructureException failed) {
      LOG.warn("execution {}: scheduling failed, will retry: {}", id, failed.getMessage());
      return;
    }
    outcomes.accept(result);
  }
}
