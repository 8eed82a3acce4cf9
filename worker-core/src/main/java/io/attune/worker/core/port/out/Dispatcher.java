package io.attune.worker.core.port.out;

import java.util.Optional;
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

  /**
   * Why dispatches cannot be sent right now, if they cannot: the transport knows it would only hold them (its broker
   * blocks publishers during a resource alarm). Empty by default.
   */
  default Optional<String> blocked() {
    return Optional.empty();
  }
}
