package io.attune.worker.core.model.placement.rule;

import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.worker.Worker;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the standard rules share: a code, whether the verdict reads capabilities alone, and a detail that is written
 * only for an explanation of a rejection. The verdict is the subclass's {@link #admits}, which allocates nothing.
 */
abstract class StandardRule implements PlacementRule {

  /** Why the worker does not admit the action now; asked only when it does not. */
  @FunctionalInterface
  interface Detail {
    String of(ActionRequirements action, Worker worker, Instant now);
  }

  private final RejectionCode code;
  private final boolean capabilityOnly;
  private final Detail detail;

  StandardRule(RejectionCode code, boolean capabilityOnly, Detail detail) {
    this.code = Objects.requireNonNull(code, "code");
    this.capabilityOnly = capabilityOnly;
    this.detail = Objects.requireNonNull(detail, "detail");
  }

  @Override
  public final RejectionCode code() {
    return code;
  }

  @Override
  public final boolean capabilityOnly() {
    return capabilityOnly;
  }

  @Override
  public final Optional<Rejection> check(ActionRequirements action, Worker worker, Instant now) {
    return admits(action, worker, now) ? Optional.empty()
        : Optional.of(new Rejection(code, detail.of(action, worker, now)));
  }
}
