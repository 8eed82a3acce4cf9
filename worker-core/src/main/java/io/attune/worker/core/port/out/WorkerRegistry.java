package io.attune.worker.core.port.out;

import io.attune.worker.core.model.worker.Worker;
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
   * Records a heartbeat; brings back to {@code active} a worker that was marked inactive while unreachable, and
   * leaves a draining worker draining.
   *
   * @return false when no worker has this id
   */
  boolean heartbeat(WorkerId worker, Instant now);

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
   * Marks an active worker draining, the first step of its shutdown: no scheduler places work on it any more, while
   * what it runs may finish.
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
