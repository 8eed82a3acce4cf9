package io.attune.worker.core.port.in;

import io.attune.worker.core.model.worker.Worker;
import java.util.Optional;

/** An operator stops or resumes new placements on a worker; running executions are not touched. */
public interface CordonWorkerUseCase {
  /** Returns the worker after the change, absent when no worker has the name. */
  Optional<Worker> cordon(String name);

  Optional<Worker> uncordon(String name);
}
