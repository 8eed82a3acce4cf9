package io.attune.worker.core.port.out;

import io.attune.worker.core.model.execution.Execution;

/** Tells the worker holding a running execution to stop it. */
@FunctionalInterface
public interface StopSignals {

  /**
   * Asks the execution's worker to end its current attempt. Best effort: a worker that misses it finds the request
   * in the store.
   *
   * @throws io.attune.worker.core.error.InfrastructureException when the request could not be sent
   */
  void requestStop(Execution execution);
}
