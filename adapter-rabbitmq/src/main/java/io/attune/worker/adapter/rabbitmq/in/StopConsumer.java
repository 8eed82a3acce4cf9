package io.attune.worker.adapter.rabbitmq.in;

import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.in.StopExecutionUseCase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of a cancel: takes the stop requests for this worker off a queue of this process's own and hands
 * each to the core's {@link StopExecutionUseCase}, which ends the execution's process tree if it runs here. Separate
 * from the dispatch queue, whose deliveries wait while every slot is busy: a stop must get through exactly then.
 */
public final class StopConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(StopConsumer.class);

  private StopConsumer() {
  }

  /** Starts consuming the stop requests for {@code self}, each handed to {@code executions}. */
  public static Subscription start(WorkerId self, StopExecutionUseCase executions, Consumers consumers) {
    return consumers.consumeStops(RabbitTopology.stopRoutingKey(self), message -> {
      boolean stopping = executions.stop(message.executionId(), message.attempt());
      if (stopping) {
        LOG.info("execution {} attempt {}: cancel requested; ending its process tree", message.executionId(),
            message.attempt());
      } else {
        LOG.info("execution {} attempt {}: cancel requested, but it does not run in this process",
            message.executionId(), message.attempt());
      }
    });
  }
}
