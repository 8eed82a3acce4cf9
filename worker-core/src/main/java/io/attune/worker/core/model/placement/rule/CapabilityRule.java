package io.attune.worker.core.model.placement.rule;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.worker.Worker;
import java.time.Instant;

/**
 * A rule on capabilities alone. The verdict comes from {@link #admits(ActionRequirements, Capabilities)}, which
 * allocates nothing (the scheduler runs it on every group of every decision, on the group's first member).
 */
abstract class CapabilityRule extends StandardRule {

  /** Why the capabilities do not satisfy the action; asked only when they do not. */
  @FunctionalInterface
  interface CapabilityDetail {
    String of(ActionRequirements action, Capabilities caps);
  }

  /** A rule rejecting with this code and this detail. */
  CapabilityRule(RejectionCode code, CapabilityDetail detail) {
    super(code, true, (action, worker, now) -> detail.of(action, worker.capabilities()));
  }

  /** True when the capabilities satisfy the action. */
  abstract boolean admits(ActionRequirements action, Capabilities caps);

  @Override
  public final boolean admits(ActionRequirements action, Worker worker, Instant now) {
    return admits(action, worker.capabilities());
  }
}
