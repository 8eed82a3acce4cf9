package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.worker.WorkerLoad;
import java.time.Instant;
import java.util.List;

/**
 * The standard placement rules, one small class each, in the order their rejections are reported: the capability
 * rules of {@link OfferRules} and {@link LabelRules}, then the state rules of {@link StateRules}.
 */
public final class PlacementRules {

  /** The rules on a worker's state, in the order of {@link #standard()}. */
  private static final List<StateRule> STATE_RULES = standard().stream()
      .filter(StateRule.class::isInstance).map(StateRule.class::cast).toList();

  private PlacementRules() {
  }

  /** Every rule of the architecture, capability rules first. */
  public static List<PlacementRule> standard() {
    return List.of(
        new OfferRules.RuntimeOffered(),
        new OfferRules.RuntimeVersionSatisfied(),
        new OfferRules.RequiredRuntimesOffered(),
        new OfferRules.PackServed(),
        new OfferRules.GpusOffered(),
        new LabelRules.SelectorMatches(),
        new LabelRules.TaintsTolerated(),
        new LabelRules.RequiredAffinityMatches(),
        new LabelRules.NoAntiAffinityMatches(),
        new StateRules.IsActive(),
        new StateRules.NotCordoned(),
        new StateRules.HeartbeatFresh(),
        new StateRules.HasFreeCapacity(),
        new StateRules.GpusFree());
  }

  /**
   * Whether the worker takes a new execution of the action now, by the rules on its state alone (status, cordon,
   * heartbeat, free capacity, free GPUs): what a store checks again when it reserves a slot on a decision made a
   * moment ago.
   */
  public static boolean takesNewWork(ActionRequirements action, WorkerLoad worker, Instant now) {
    return takesNewWork(action.gpu(), worker, now);
  }

  /**
   * Whether the worker takes, now, a new execution that needs these GPUs, by the rules on its state alone; with
   * {@link GpuRequirement#NONE}, whether it takes new work at all.
   */
  public static boolean takesNewWork(GpuRequirement gpu, WorkerLoad worker, Instant now) {
    for (StateRule rule : STATE_RULES) {
      if (!rule.admits(gpu, worker, now)) {
        return false;
      }
    }
    return true;
  }
}
