package io.attune.worker.core.model.placement.rule;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.Taint;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.AffinityTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The capability rules on a worker's labels and taints: selector, taints, affinity and anti-affinity. */
final class LabelRules {

  private LabelRules() {
  }

  /** Its labels have every value the action's selector asks for. */
  static final class SelectorMatches extends CapabilityRule {
    SelectorMatches() {
      super(RejectionCode.SELECTOR, SelectorMatches::detail);
    }

    @Override
    boolean admits(ActionRequirements action, Capabilities caps) {
      if (action.selector().isEmpty()) {
        return true;
      }
      for (Map.Entry<String, String> wanted : action.selector().entrySet()) {
        if (!wanted.getValue().equals(caps.labels().get(wanted.getKey()))) {
          return false;
        }
      }
      return true;
    }

    private static String detail(ActionRequirements action, Capabilities caps) {
      List<String> problems = new ArrayList<>();
      action.selector().forEach((key, wanted) -> {
        String actual = caps.labels().get(key);
        if (actual == null) {
          problems.add("label " + key + " is missing (wanted " + wanted + ")");
        } else if (!actual.equals(wanted)) {
          problems.add("label " + key + "=" + actual + ", wanted " + wanted);
        }
      });
      return String.join("; ", problems);
    }
  }

  /** The action tolerates each of its {@code no_schedule} taints. */
  static final class TaintsTolerated extends CapabilityRule {
    TaintsTolerated() {
      super(RejectionCode.TAINT, TaintsTolerated::detail);
    }

    @Override
    boolean admits(ActionRequirements action, Capabilities caps) {
      return action.untolerated(caps.taints(), TaintEffect.NO_SCHEDULE) == 0;
    }

    private static String detail(ActionRequirements action, Capabilities caps) {
      List<String> untolerated = new ArrayList<>();
      for (Taint taint : caps.taints()) {
        if (taint.effect() == TaintEffect.NO_SCHEDULE && !action.tolerates(taint)) {
          untolerated.add(taint.toString());
        }
      }
      return "has taint " + String.join(", ", untolerated) + " that the action does not tolerate";
    }
  }

  /** Its labels match one of the action's required affinity terms, when it has any. */
  static final class RequiredAffinityMatches extends CapabilityRule {
    RequiredAffinityMatches() {
      super(RejectionCode.AFFINITY,
          (action, caps) -> "labels " + caps.labels() + " match none of the required terms "
              + action.affinity().required().stream().map(AffinityTerm::toString).collect(Collectors.joining(" or ")));
    }

    @Override
    boolean admits(ActionRequirements action, Capabilities caps) {
      List<AffinityTerm> required = action.affinity().required();
      return required.isEmpty() || firstMatch(required, caps) != null;
    }
  }

  /** Its labels match none of the action's anti-affinity terms. */
  static final class NoAntiAffinityMatches extends CapabilityRule {
    NoAntiAffinityMatches() {
      super(RejectionCode.ANTI_AFFINITY,
          (action, caps) -> "labels " + caps.labels() + " match anti-affinity term "
              + firstMatch(action.affinity().antiAffinity(), caps));
    }

    @Override
    boolean admits(ActionRequirements action, Capabilities caps) {
      return firstMatch(action.affinity().antiAffinity(), caps) == null;
    }
  }

  /** The first term the capabilities' labels match, or null when none does. */
  private static AffinityTerm firstMatch(List<AffinityTerm> terms, Capabilities caps) {
    for (AffinityTerm term : terms) {
      if (term.matches(caps.labels())) {
        return term;
      }
    }
    return null;
  }
}
