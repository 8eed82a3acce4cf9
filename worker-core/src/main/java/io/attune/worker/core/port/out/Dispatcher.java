package io.attune.worker.core.port.out;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.worker.Worker;

/** Hands a placed execution to its worker. */
@FunctionalInterface
public interface Dispatcher {

  /**
   * Delivers the execution to the worker's queue.
   *
   * @throws io.attune.worker.core.error.InfrastructureException when it could not be delivered
   */
  void dispatch(Execution execution, Worker worker);
}
