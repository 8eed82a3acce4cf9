package io.attune.worker.core.model.placement.rule;

import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.worker.Worker;
import java.time.Instant;
import java.util.Optional;

/**
 * One placement rule: admits a worker for an action, or rejects it with a code and a detail.
 *
 * <p>A refusal is a value, never an exception, so the scheduler can report every rule that rejects a worker.
 */
public interface PlacementRule {

  /** The code this rule's rejections carry. */
  RejectionCode code();

  /**
   * True when the verdict depends only on the worker's capabilities (not on status, cordon, heartbeat or load),
   * so one verdict serves every worker that advertises the same capabilities.
   */
  boolean capabilityOnly();

  /** The rejection, or empty when the rule admits the worker. */
  Optional<Rejection> check(ActionRequirements action, Worker worker, Instant now);

  /** True when the rule admits the worker; cheaper than {@link #check} on the hot path. */
  default boolean admits(ActionRequirements action, Worker worker, Instant now) {
    return check(action, worker, now).isEmpty();
  }
}
