package io.attune.worker.core.port.out;

import io.attune.worker.core.model.worker.NameHolder;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerBeat;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerRegistration;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Keeps the entries of workers up to date: registration, heartbeats, status and cordon. */
public interface WorkerRegistry {

  /**
   * Inserts the worker, or updates the entry of the same name (keeping its id): active, with a fresh heartbeat.
   */
  Worker register(WorkerRegistration registration, Instant now);

  /**
   * Registers a process's claim on a worker name, in one step: only while the name's entry is still as
   * {@code expected} (the same holder instance with the same last heartbeat: the holder the caller judged gone by
   * {@link io.attune.worker.core.model.worker.NameOwnership}), or is this process's own, or there is none. A holder
   * that heartbeat since it was judged keeps the name.
   *
   * @param registration with the claiming process's instance
   * @return the worker as registered; empty when the name's entry changed since it was judged (someone else holds it)
   */
  Optional<Worker> claim(WorkerRegistration registration, Optional<NameHolder> expected, Instant now);

  /** Who holds the name, for {@link io.attune.worker.core.model.worker.NameOwnership}; empty when nobody does. */
  Optional<NameHolder> holderOf(String name);

  /**
   * Records a heartbeat of the name's holder process: brings back to {@code active} a worker that was marked
   * inactive while unreachable (or in {@code error} while it could not take work), marks an active one
   * {@code error} while it says it cannot take work, and leaves a draining worker draining. A beat from another
   * process than the one that registered the name last is not recorded.
   */
  WorkerBeat.Outcome heartbeat(WorkerBeat beat, Instant now);

  /**
   * Records a heartbeat of a worker that takes work, from whichever process.
   *
   * @return false when no worker has this id
   */
  default boolean heartbeat(WorkerId worker, Instant now) {
    return heartbeat(WorkerBeat.of(worker), now) != WorkerBeat.Outcome.UNKNOWN_WORKER;
  }

  /** Marks the worker inactive, as at the end of a shutdown or when its heartbeat went stale. */
  boolean markInactive(WorkerId worker);

  /**
   * Marks the worker inactive only if its heartbeat is still stale at {@code now}, checked in the same step as the
   * change: a heartbeat that lands between a liveness check and this call keeps the worker as it is.
   *
   * @return false when the worker is unknown, already inactive, or fresh again
   */
  boolean markInactiveIfStale(WorkerId worker, Instant now);

  /**
   * Marks an active worker (or one in {@code error}) draining, the first step of its shutdown: no scheduler places
   * work on it any more, while what it runs may finish.
   *
   * @return false when no active worker has this id
   */
  boolean markDraining(WorkerId worker);

  /**
   * Removes workers gone for good: lost at {@code now} (inactive, or silent for three of their intervals), with no
   * heartbeat for {@code goneFor} or longer, holding no execution, all checked in the same step as the removal.
   * Their past executions keep their results but no longer name them.
   *
   * @return the names of the workers removed, sorted
   */
  List<String> prune(Instant now, Duration goneFor);

  /**
   * Cordons or uncordons a worker by name.
   *
   * @return the worker after the change, absent when no worker has this name
   */
  Optional<Worker> setCordoned(String name, boolean cordoned);
}
