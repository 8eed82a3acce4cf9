package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.Taint;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.runtime.VersionConstraint;
import io.attune.worker.core.model.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The standard placement rules, one small class each, in the order their rejections are reported. */
public final class PlacementRules {

  /** The rules on a worker's state, in the order of {@link #standard()}. */
  private static final List<PlacementRule> STATE_RULES = standard().stream()
      .filter(rule -> !rule.capabilityOnly()).toList();

  private PlacementRules() {
  }

  /** Every rule of the architecture, capability rules first. */
  public static List<PlacementRule> standard() {
    return List.of(
        new RuntimeOffered(),
        new RuntimeVersionSatisfied(),
        new RequiredRuntimesOffered(),
        new SelectorMatches(),
        new TaintsTolerated(),
        new RequiredAffinityMatches(),
        new NoAntiAffinityMatches(),
        new IsActive(),
        new NotCordoned(),
        new HeartbeatFresh(),
        new HasFreeCapacity());
  }

  /**
   * Whether the worker takes a new execution of the action now, by the rules on its state alone (status, cordon,
   * heartbeat, free capacity): what a store checks again when it reserves a slot on a decision made a moment ago.
   */
  public static boolean takesNewWork(ActionRequirements action, Worker worker, Instant now) {
    for (PlacementRule rule : STATE_RULES) {
      if (!rule.admits(action, worker, now)) {
        return false;
      }
    }
    return true;
  }

  private abstract static class CapabilityRule implements PlacementRule {
    @Override
    public final boolean capabilityOnly() {
      return true;
    }

    @Override
    public final Optional<Rejection> check(ActionRequirements action, Worker worker, Instant now) {
      return reason(action, worker.capabilities()).map(detail -> new Rejection(code(), detail));
    }

    /** The detail of the rejection, or empty when the capabilities satisfy the action. */
    abstract Optional<String> reason(ActionRequirements action, Capabilities capabilities);
  }

  private abstract static class StateRule implements PlacementRule {
    @Override
    public final boolean capabilityOnly() {
      return false;
    }

    @Override
    public final Optional<Rejection> check(ActionRequirements action, Worker worker, Instant now) {
      return admits(action, worker, now) ? Optional.empty() : Optional.of(new Rejection(code(),
          detail(action, worker, now)));
    }

    @Override
    public abstract boolean admits(ActionRequirements action, Worker worker, Instant now);

    /** Why the worker does not admit the action now; the action is there for rules that depend on it. */
    abstract String detail(ActionRequirements action, Worker worker, Instant now);
  }

  static final class RuntimeOffered extends CapabilityRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.RUNTIME_MISSING;
    }

    @Override
    Optional<String> reason(ActionRequirements action, Capabilities caps) {
      return caps.offers(action.runtime()) ? Optional.empty()
          : Optional.of("does not offer runtime " + action.runtime() + " (offers " + names(caps) + ")");
    }
  }

  static final class RuntimeVersionSatisfied extends CapabilityRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.RUNTIME_VERSION;
    }

    @Override
    Optional<String> reason(ActionRequirements action, Capabilities caps) {
      // a missing runtime is reported by runtime_missing alone
      if (action.runtimeVersion().isAny() || !caps.offers(action.runtime())) {
        return Optional.empty();
      }
      return versionProblem(action.runtime(), action.runtimeVersion(), caps);
    }
  }

  static final class RequiredRuntimesOffered extends CapabilityRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.REQUIRED_RUNTIME;
    }

    @Override
    Optional<String> reason(ActionRequirements action, Capabilities caps) {
      List<String> problems = new ArrayList<>();
      for (Map.Entry<RuntimeName, VersionConstraint> required : action.requiredRuntimes().entrySet()) {
        if (!caps.offers(required.getKey())) {
          problems.add("does not offer required runtime " + required.getKey());
        } else if (!required.getValue().isAny()) {
          versionProblem(required.getKey(), required.getValue(), caps).ifPresent(problems::add);
        }
      }
      return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }
  }

  static final class SelectorMatches extends CapabilityRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.SELECTOR;
    }

    @Override
    Optional<String> reason(ActionRequirements action, Capabilities caps) {
      List<String> problems = new ArrayList<>();
      action.selector().forEach((key, wanted) -> {
        String actual = caps.labels().get(key);
        if (actual == null) {
          problems.add("label " + key + " is missing (wanted " + wanted + ")");
        } else if (!actual.equals(wanted)) {
          problems.add("label " + key + "=" + actual + ", wanted " + wanted);
        }
      });
      return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }
  }

  static final class TaintsTolerated extends CapabilityRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.TAINT;
    }

    @Override
    Optional<String> reason(ActionRequirements action, Capabilities caps) {
      List<String> untolerated = new ArrayList<>();
      for (Taint taint : caps.taints()) {
        if (taint.effect() == TaintEffect.NO_SCHEDULE && !action.tolerates(taint)) {
          untolerated.add(taint.toString());
        }
      }
      return untolerated.isEmpty() ? Optional.empty()
          : Optional.of("has taint " + String.join(", ", untolerated) + " that the action does not tolerate");
    }
  }

  static final class RequiredAffinityMatches extends CapabilityRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.AFFINITY;
    }

    @Override
    Optional<String> reason(ActionRequirements action, Capabilities caps) {
      List<AffinityTerm> required = action.affinity().required();
      if (required.isEmpty() || required.stream().anyMatch(t -> t.matches(caps.labels()))) {
        return Optional.empty();
      }
      return Optional.of("labels " + caps.labels() + " match none of the required terms "
          + required.stream().map(AffinityTerm::toString).collect(Collectors.joining(" or ")));
    }
  }

  static final class NoAntiAffinityMatches extends CapabilityRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.ANTI_AFFINITY;
    }

    @Override
    Optional<String> reason(ActionRequirements action, Capabilities caps) {
      return action.affinity().antiAffinity().stream()
          .filter(t -> t.matches(caps.labels()))
          .findFirst()
          .map(t -> "labels " + caps.labels() + " match anti-affinity term " + t);
    }
  }

  static final class IsActive extends StateRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.INACTIVE;
    }

    @Override
    public boolean admits(ActionRequirements action, Worker worker, Instant now) {
      return worker.isActive();
    }

    @Override
    String detail(ActionRequirements action, Worker worker, Instant now) {
      return "status is " + worker.status().wireName();
    }
  }

  static final class NotCordoned extends StateRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.CORDONED;
    }

    @Override
    public boolean admits(ActionRequirements action, Worker worker, Instant now) {
      return !worker.cordoned();
    }

    @Override
    String detail(ActionRequirements action, Worker worker, Instant now) {
      return "cordoned: takes no new executions";
    }
  }

  static final class HeartbeatFresh extends StateRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.HEARTBEAT_STALE;
    }

    @Override
    public boolean admits(ActionRequirements action, Worker worker, Instant now) {
      return worker.isFresh(now);
    }

    @Override
    String detail(ActionRequirements action, Worker worker, Instant now) {
      Optional<Duration> age = worker.heartbeatAge(now);
      return age.map(a -> "last heartbeat " + seconds(a) + " ago, stale from " + seconds(worker.staleAfter())
          + " (3 x " + seconds(worker.heartbeatInterval()) + ")").orElse("has never sent a heartbeat");
    }
  }

  static final class HasFreeCapacity extends StateRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.AT_CAPACITY;
    }

    @Override
    public boolean admits(ActionRequirements action, Worker worker, Instant now) {
      return worker.hasFreeCapacity();
    }

    @Override
    String detail(ActionRequirements action, Worker worker, Instant now) {
      return "running " + worker.running() + " of " + worker.capabilities().maxConcurrentExecutions();
    }
  }

  private static Optional<String> versionProblem(RuntimeName runtime, VersionConstraint constraint,
      Capabilities caps) {
    List<Version> versions = caps.versionsOf(runtime);
    if (versions.isEmpty()) {
      return Optional.of("advertises no version of " + runtime + ", needs " + constraint);
    }
    for (Version v : versions) {
      if (constraint.isSatisfiedBy(v)) {
        return Optional.empty();
      }
    }
    return Optional.of(runtime + " " + versions.stream().map(Version::toString).collect(Collectors.joining(", "))
        + " does not satisfy " + constraint);
  }

  private static String names(Capabilities caps) {
    return caps.runtimes().isEmpty() ? "none"
        : caps.runtimes().stream().map(RuntimeName::toString).collect(Collectors.joining(", "));
  }

  private static String seconds(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + "s" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }
}
