package io.attune.worker.core.port.out;

import io.attune.worker.core.model.placement.ActionRequirements;
import io.attune.worker.core.model.placement.Fleet;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reads workers for scheduling and for people. {@link Worker#running()} is the capacity reserved on each. */
public interface WorkerDirectory {

  Optional<Worker> byId(WorkerId id);

  Optional<Worker> byName(String name);

  /** Every worker, sorted by name. */
  List<Worker> all();

  /**
   * The workers worth assessing for an action, indexed for placement. It must contain at least every worker that
   * offers the action's runtime; it may contain more.
   */
  Fleet candidatesFor(ActionRequirements action);

  /**
   * Brings the candidates up to date now: a scheduler calls it after losing the race for a worker it chose, because
   * a directory that serves candidates from a copy may be behind. A directory that reads live data has nothing to do.
   */
  default void refresh() {
  }

  /** Workers not marked inactive (active or draining) whose last heartbeat is at least three intervals old. */
  List<Worker> staleActive(Instant now);
}
