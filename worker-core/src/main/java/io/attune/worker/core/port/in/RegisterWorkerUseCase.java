package io.attune.worker.core.port.in;

import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;

/** A starting worker announces itself; registering the same name again keeps its id. */
public interface RegisterWorkerUseCase {

  /**
   * Registers, or updates the name's entry. A registration with a process instance updates only the entry this
   * process holds (or registers a free name).
   *
   * @throws io.attune.worker.core.error.WorkerNameTakenException when another process holds the name
   */
  Worker register(WorkerRegistration registration);
}
