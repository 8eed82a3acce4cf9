package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerLoad;
import java.time.Instant;

/**
 * A rule on a worker's state, judged on its {@link WorkerLoad}: a {@link Worker}, or a member of a fleet group read
 * through a {@link FleetGroup.Cursor} as the scheduler's decision does, so that its scan touches no worker object.
 * Of the action, the state rules read only the GPUs it needs.
 */
abstract class StateRule extends StandardRule {

  /** A rule rejecting with this code and this detail. */
  StateRule(RejectionCode code, Detail detail) {
    super(code, false, detail);
  }

  /** True when the worker's state admits, now, an action that needs these GPUs. */
  abstract boolean admits(GpuRequirement gpu, WorkerLoad worker, Instant now);

  @Override
  public final boolean admits(ActionRequirements action, Worker worker, Instant now) {
    return admits(action.gpu(), worker, now);
  }
}
