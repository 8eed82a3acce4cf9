package io.attune.worker.core.port.in;

import io.attune.worker.core.model.worker.WorkerBeat;
import io.attune.worker.core.model.worker.WorkerId;

/** A running worker says it is alive. */
public interface HeartbeatUseCase {
  /** Returns false when the registry no longer knows the worker, which should then register again. */
  boolean heartbeat(WorkerId worker);

  /**
   * A worker process says it is alive, and whether it takes work. {@link WorkerBeat.Outcome#NAME_TAKEN}: another
   * process took the name over, and this one must stop.
   */
  WorkerBeat.Outcome beat(WorkerBeat beat);
}
