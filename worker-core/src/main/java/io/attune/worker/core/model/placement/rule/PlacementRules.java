package io.attune.worker.core.model.placement.rule;

import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.worker.WorkerLoad;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The standard placement rules, one small class each, in the order their rejections are reported: the capability
 * rules of {@link OfferRules} and {@link LabelRules}, then the state rules of {@link StateRules}.
 */
public final class PlacementRules {

  /** The rules on a worker's state that read nothing of the action. */
  private static final List<StateRule> CONDITION_RULES = List.of(new StateRules.IsActive(),
      new StateRules.NotCordoned(), new StateRules.HeartbeatFresh());

  /** The rules on a worker's state, in the order of {@link #standard()}. */
  private static final List<StateRule> STATE_RULES = standard().stream()
      .filter(StateRule.class::isInstance).map(StateRule.class::cast).toList();

  private PlacementRules() {
  }

  /** Every rule of the architecture, capability rules first, then one state rule per resource kind. */
  public static List<PlacementRule> standard() {
    List<PlacementRule> rules = new ArrayList<>(List.of(
        new OfferRules.RuntimeOffered(),
        new OfferRules.RuntimeVersionSatisfied(),
        new OfferRules.RequiredRuntimesOffered(),
        new OfferRules.PackServed(),
        new OfferRules.GpusOffered(),
        new LabelRules.SelectorMatches(),
        new LabelRules.TaintsTolerated(),
        new LabelRules.RequiredAffinityMatches(),
        new LabelRules.NoAntiAffinityMatches()));
    rules.addAll(CONDITION_RULES);
    ResourceKinds.STANDARD.forEach(kind -> rules.add(new StateRules.ResourceFree(kind)));
    return List.copyOf(rules);
  }

  /**
   * Whether the worker takes a new execution of the action now, by the rules on its state alone (status, cordon,
   * heartbeat, room in every resource kind): what a store checks again when it reserves a slot on a decision made a
   * moment ago.
   */
  public static boolean takesNewWork(ActionRequirements action, WorkerLoad worker, Instant now) {
    for (StateRule rule : STATE_RULES) {
      if (!rule.admits(action, worker, now)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the worker takes new work at all now, whatever it asks of resources: active, not cordoned, heartbeat
   * fresh.
   */
  public static boolean takesNewWork(WorkerLoad worker, Instant now) {
    for (StateRule rule : CONDITION_RULES) {
      if (!rule.admits(null, worker, now)) {
        return false;
      }
    }
    return true;
  }
}
