package io.attune.worker.core.model.placement.rule;

import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerLoad;
import java.time.Instant;

/**
 * A rule on a worker's state, judged on its {@link WorkerLoad}: a {@link Worker}, or a member of a fleet group read
 * through a {@link io.attune.worker.core.model.placement.FleetGroup.Cursor} as the scheduler's decision does, so
 * that its scan touches no worker object. Of the action, the state rules read only what it asks of each resource
 * kind.
 */
public abstract class StateRule extends StandardRule {

  /** A rule rejecting with this code and this detail. */
  StateRule(RejectionCode code, Detail detail) {
    super(code, false, detail);
  }

  /** True when the worker's state admits the action now. */
  public abstract boolean admits(ActionRequirements action, WorkerLoad worker, Instant now);

  @Override
  public final boolean admits(ActionRequirements action, Worker worker, Instant now) {
    return admits(action, (WorkerLoad) worker, now);
  }
}
