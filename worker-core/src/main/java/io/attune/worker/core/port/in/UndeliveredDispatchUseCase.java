package io.attune.worker.core.port.in;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.worker.Worker;

/**
 * A dispatch that the transport accepted but could not deliver after all (the broker refused it, returned it, or did
 * not confirm it in time): the execution's attempt gives its slot back and the execution waits to be placed again.
 * For a {@link io.attune.worker.core.port.out.Dispatcher} that confirms deliveries after it returned.
 */
public interface UndeliveredDispatchUseCase {

  /**
   * Requeues the dispatched attempt, unless it has moved on meanwhile (fenced by its attempt, like any recovery).
   *
   * @param dispatched the execution as it was dispatched
   * @param reason why the delivery failed, kept in the execution's result
   */
  Transition undelivered(Execution dispatched, Worker worker, String reason);
}
