package io.attune.worker.core.model.worker;

import java.util.Objects;
import java.util.Optional;

/**
 * One heartbeat of a worker process.
 *
 * @param instance the process sending it; a heartbeat of another process than the name's holder is not recorded
 *     (empty: any, for embedders that keep one process per name themselves)
 * @param takingWork false while the worker cannot take work (its dispatch queue cannot be consumed): an active worker
 *     then becomes {@link WorkerStatus#ERROR} and back once it can
 */
public record WorkerBeat(WorkerId worker, Optional<String> instance, boolean takingWork) {

  public WorkerBeat {
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(instance, "instance");
  }

  /** A beat of a worker that takes work, from whichever process. */
  public static WorkerBeat of(WorkerId worker) {
    return new WorkerBeat(worker, Optional.empty(), true);
  }

  /** What the registry made of a beat. */
  public enum Outcome {
    /** Recorded. */
    RECORDED,
    /** No worker has this id (pruned meanwhile): register again. */
    UNKNOWN_WORKER,
    /** Another process holds the name now: this one must stop. */
    NAME_TAKEN
  }
}
