package io.attune.worker.core.port.in;

import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;

/** A starting worker announces itself; registering the same name again keeps its id. */
public interface RegisterWorkerUseCase {
  Worker register(WorkerRegistration registration);
}
