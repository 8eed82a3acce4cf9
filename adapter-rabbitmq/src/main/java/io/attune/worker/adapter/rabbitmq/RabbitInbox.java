package io.attune.worker.adapter.rabbitmq;

import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.in.RunExecutionUseCase;
import io.attune.worker.core.port.in.StopExecutionUseCase;
import io.attune.worker.core.port.out.DispatchInbox;
import java.time.Duration;

/**
 * The core's {@link DispatchInbox} over RabbitMQ: the worker's stop requests on a queue of this process's own,
 * subscribed first (a cancel of anything it runs must reach it), then its dispatch queue.
 */
final class RabbitInbox implements DispatchInbox {

  private final RabbitAdapter rabbit;

  RabbitInbox(RabbitAdapter rabbit) {
    this.rabbit = rabbit;
  }

  @Override
  public Intake open(WorkerId worker, int slots, RunExecutionUseCase runs, StopExecutionUseCase stops) {
    Subscription stopRequests = rabbit.consumeStops(worker, stops);
    DispatchConsumer dispatches;
    try {
      dispatches = rabbit.consumeDispatches(worker, slots, runs);
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
