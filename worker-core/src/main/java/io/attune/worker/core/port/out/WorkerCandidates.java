package io.attune.worker.core.port.out;

import io.attune.worker.core.model.placement.Fleet;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import java.util.List;

/**
 * The workers a scheduler decides on: the candidates for an action, kept in step with the reservations this process
 * makes, and every worker for explaining why none could take an execution.
 */
public interface WorkerCandidates {

  /**
   * The workers worth assessing for an action, indexed for placement. It must contain at least every worker that
   * offers the action's runtime; it may contain more.
   */
  Fleet candidatesFor(ActionRequirements action);

  /** Every worker, sorted by name: an unschedulable execution's explanation names each one and why. */
  List<Worker> all();

  /**
   * Brings the candidates up to date now: a scheduler calls it after losing the race for a worker it chose, because
   * a directory that serves candidates from a copy may be behind. A directory that reads live data has nothing to do.
   */
  default void refresh() {
  }

  /**
   * Says that a slot of the worker (and the GPUs the action needs) is being reserved by this process, so that a
   * directory serving candidates from a copy counts it at once instead of offering the same worker as the least
   * loaded until its next catch-up. A directory that reads live data has nothing to do.
   */
  default void reserved(WorkerId worker, ActionRequirements action) {
  }

  /**
   * Takes back a slot counted by {@link #reserved(WorkerId, ActionRequirements)} that the store did not reserve
   * after all: a scheduler counts its choice before the store's round trip, so that its concurrent decisions do not
   * pick the same last slot, and gives it back when the store refuses. A directory that reads live data has nothing
   * to do.
   */
  default void unreserved(WorkerId worker, ActionRequirements action) {
  }
}
