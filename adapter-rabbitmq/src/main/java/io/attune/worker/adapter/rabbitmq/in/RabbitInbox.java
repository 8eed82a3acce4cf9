package io.attune.worker.adapter.rabbitmq.in;

import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import io.attune.worker.adapter.rabbitmq.broker.WorkerQueues;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.in.RunExecutionUseCase;
import io.attune.worker.core.port.in.StopExecutionUseCase;
import io.attune.worker.core.port.out.DispatchInbox;
import java.time.Duration;

/**
 * The core's {@link DispatchInbox} over RabbitMQ: the worker's stop requests on a queue of this process's own,
 * subscribed first (a cancel of anything it runs must reach it), then its dispatch queue.
 */
public final class RabbitInbox implements DispatchInbox {

  private final WorkerQueues workerQueues;
  private final Consumers consumers;

  public RabbitInbox(WorkerQueues workerQueues, Consumers consumers) {
    this.workerQueues = workerQueues;
    this.consumers = consumers;
  }

  @Override
  public Intake open(WorkerId worker, int slots, RunExecutionUseCase runs, StopExecutionUseCase stops) {
    Subscription stopRequests = StopConsumer.start(worker, stops, consumers);
    DispatchConsumer dispatches;
    try {
      dispatches = DispatchConsumer.start(worker, slots, runs, workerQueues, consumers);
    } catch (RuntimeException failed) {
      stopRequests.close();
      throw failed;
    }
    return new Intake() {
      @Override
      public void stopTaking() {
        dispatches.close();
      }

      @Override
      public boolean awaitInFlight(Duration timeout) {
        return dispatches.awaitInFlight(timeout);
      }

      @Override
      public int running() {
        return dispatches.running();
      }

      @Override
      public void interruptRunning() {
        dispatches.interruptRunning();
      }

      @Override
      public void close() {
        dispatches.close();
        stopRequests.close();
      }
    };
  }
}
