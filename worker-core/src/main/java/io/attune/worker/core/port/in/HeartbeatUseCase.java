package io.attune.worker.core.port.in;

import io.attune.worker.core.model.worker.WorkerId;

/** A running worker says it is alive. */
public interface HeartbeatUseCase {
  /** Returns false when the registry no longer knows the worker, which should then register again. */
  boolean heartbeat(WorkerId worker);
}
