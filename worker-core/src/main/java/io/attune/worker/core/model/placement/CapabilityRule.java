package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.worker.Worker;
import java.time.Instant;
import java.util.Optional;

/**
 * A rule on capabilities alone. The verdict comes from {@link #admits(ActionRequirements, Capabilities)}, which
 * allocates nothing (the scheduler runs it on every group of every decision); the detail is written only for an
 * explanation of a rejection.
 */
abstract class CapabilityRule implements PlacementRule {
  @Override
  public final boolean capabilityOnly() {
    return true;
  }

  @Override
  public final boolean admits(ActionRequirements action, Worker worker, Instant now) {
    return admits(action, worker.capabilities());
  }

  @Override
  public final Optional<Rejection> check(ActionRequirements action, Worker worker, Instant now) {
    Capabilities caps = worker.capabilities();
    return admits(action, caps) ? Optional.empty() : Optional.of(new Rejection(code(), detail(action, caps)));
  }

  /** True when the capabilities satisfy the action. */
  abstract boolean admits(ActionRequirements action, Capabilities caps);

  /** Why the capabilities do not satisfy the action; called only when they do not. */
  abstract String detail(ActionRequirements action, Capabilities caps);
}
