package io.attune.worker.core.port.out;

import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.in.RunExecutionUseCase;
import io.attune.worker.core.port.in.StopExecutionUseCase;
import java.time.Duration;

/**
 * Where a worker's dispatches, and the requests to stop what it runs, arrive: the worker side of the
 * {@link Dispatcher}. The distributed system's is a RabbitMQ queue per worker ({@code adapter-rabbitmq}); the
 * in-memory one is {@code InProcessDispatcher}.
 */
public interface DispatchInbox {

  /**
   * Starts taking the worker's dispatches, at most {@code slots} at a time, each handed to
   * {@link RunExecutionUseCase#handleDispatch} on a thread of the inbox's own, and its stop requests, each handed to
   * {@code stops}.
   */
  Intake open(WorkerId worker, int slots, RunExecutionUseCase runs, StopExecutionUseCase stops);

  /** An open inbox. */
  interface Intake {

    /** Takes no more dispatches; what was taken goes on, and stop requests still arrive. */
    void stopTaking();

    /**
     * Waits until every dispatch taken has been handled: true when none is left within {@code timeout}; false too
     * when the waiting thread is interrupted (its interrupt status is kept).
     */
    boolean awaitInFlight(Duration timeout);

    /** How many dispatches are being handled right now. */
    int running();

    /** Interrupts the handling of every dispatch taken: the runner ends their processes. */
    void interruptRunning();

    /** Closes the inbox entirely, stop requests included. */
    void close();
  }
}
