package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.Taint;
import io.attune.worker.core.model.capability.TaintEffect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The capability rules on a worker's labels and taints: selector, taints, affinity and anti-affinity. */
final class LabelRules {

  private LabelRules() {
  }

  static final class SelectorMatches extends CapabilityRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.SELECTOR;
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

    @Override
    String detail(ActionRequirements action, Capabilities caps) {
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

  static final class TaintsTolerated extends CapabilityRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.TAINT;
    }

    @Override
    boolean admits(ActionRequirements action, Capabilities caps) {
      return action.untolerated(caps.taints(), TaintEffect.NO_SCHEDULE) == 0;
    }

    @Override
    String detail(ActionRequirements action, Capabilities caps) {
      List<String> untolerated = new ArrayList<>();
      for (Taint taint : caps.taints()) {
        if (taint.effect() == TaintEffect.NO_SCHEDULE && !action.tolerates(taint)) {
          untolerated.add(taint.toString());
        }
      }
      return "has taint " + String.join(", ", untolerated) + " that the action does not tolerate";
    }
  }

  static final class RequiredAffinityMatches extends CapabilityRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.AFFINITY;
    }

    @Override
    boolean admits(ActionRequirements action, Capabilities caps) {
      List<AffinityTerm> required = action.affinity().required();
      return required.isEmpty() || firstMatch(required, caps) != null;
    }

    @Override
    String detail(ActionRequirements action, Capabilities caps) {
      return "labels " + caps.labels() + " match none of the required terms "
          + action.affinity().required().stream().map(AffinityTerm::toString).collect(Collectors.joining(" or "));
    }
  }

  static final class NoAntiAffinityMatches extends CapabilityRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.ANTI_AFFINITY;
    }

    @Override
    boolean admits(ActionRequirements action, Capabilities caps) {
      return firstMatch(action.affinity().antiAffinity(), caps) == null;
    }

    @Override
    String detail(ActionRequirements action, Capabilities caps) {
      return "labels " + caps.labels() + " match anti-affinity term "
          + firstMatch(action.affinity().antiAffinity(), caps);
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
