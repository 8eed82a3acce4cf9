package io.attune.worker.core.port.in;

import io.attune.worker.core.model.worker.WorkerId;

/** A worker that shuts down marks itself inactive. */
public interface DeregisterWorkerUseCase {
  void deregister(WorkerId worker);
}
