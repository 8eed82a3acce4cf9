package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.Gpu;
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
        new PackServed(),
        new GpusOffered(),
        new SelectorMatches(),
        new TaintsTolerated(),
        new RequiredAffinityMatches(),
        new NoAntiAffinityMatches(),
        new IsActive(),
        new NotCordoned(),
        new HeartbeatFresh(),
        new HasFreeCapacity(),
        new GpusFree());
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

  /**
   * A rule on capabilities alone. The verdict comes from {@link #admits(ActionRequirements, Capabilities)}, which
   * allocates nothing (the scheduler runs it on every group of every decision); the detail is written only for an
   * explanation of a rejection.
   */
  private abstract static class CapabilityRule implements PlacementRule {
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

  /**
   * A rule on a worker's state. It reads the state from a {@link Worker}, or from a member of a {@link Fleet} group
   * as the scheduler's decision does, so that its scan touches no worker object; both must give the same verdict.
   */
  abstract static class StateRule implements PlacementRule {
    @Override
    public final boolean capabilityOnly() {
      return false;
    }

    /** The verdict on the group's member, the same as on {@code group.member(member)}. */
    abstract boolean admits(ActionRequirements action, Fleet.Group group, int member, Instant now);

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
    boolean admits(ActionRequirements action, Capabilities caps) {
      return caps.offers(action.runtime());
    }

    @Override
    String detail(ActionRequirements action, Capabilities caps) {
      return "does not offer runtime " + action.runtime() + " (offers " + names(caps) + ")";
    }
  }

  static final class RuntimeVersionSatisfied extends CapabilityRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.RUNTIME_VERSION;
    }

    @Override
    boolean admits(ActionRequirements action, Capabilities caps) {
      // a missing runtime is reported by runtime_missing alone
      return action.runtimeVersion().isAny() || !caps.offers(action.runtime())
          || offersVersion(action.runtime(), action.runtimeVersion(), caps);
    }

    @Override
    String detail(ActionRequirements action, Capabilities caps) {
      return versionProblem(action.runtime(), action.runtimeVersion(), caps);
    }
  }

  static final class RequiredRuntimesOffered extends CapabilityRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.REQUIRED_RUNTIME;
    }

    @Override
    boolean admits(ActionRequirements action, Capabilities caps) {
      if (action.requiredRuntimes().isEmpty()) {
        return true;
      }
      for (Map.Entry<RuntimeName, VersionConstraint> required : action.requiredRuntimes().entrySet()) {
        if (!offersRequired(required.getKey(), required.getValue(), caps)) {
          return false;
        }
      }
      return true;
    }

    @Override
    String detail(ActionRequirements action, Capabilities caps) {
      List<String> problems = new ArrayList<>();
      action.requiredRuntimes().forEach((runtime, constraint) -> {
        if (!caps.offers(runtime)) {
          problems.add("does not offer required runtime " + runtime);
        } else if (!offersRequired(runtime, constraint, caps)) {
          problems.add(versionProblem(runtime, constraint, caps));
        }
      });
      return String.join("; ", problems);
    }

    private static boolean offersRequired(RuntimeName runtime, VersionConstraint constraint, Capabilities caps) {
      return caps.offers(runtime) && (constraint.isAny() || offersVersion(runtime, constraint, caps));
    }
  }

  static final class PackServed extends CapabilityRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.PACK_NOT_SERVED;
    }

    @Override
    boolean admits(ActionRequirements action, Capabilities caps) {
      return caps.servesPack(action.pack());
    }

    @Override
    String detail(ActionRequirements action, Capabilities caps) {
      return "does not serve pack " + action.pack() + " (serves " + String.join(", ", caps.packs()) + ")";
    }
  }

  static final class GpusOffered extends CapabilityRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.GPU;
    }

    @Override
    boolean admits(ActionRequirements action, Capabilities caps) {
      GpuRequirement gpu = action.gpu();
      return gpu.count() == 0 || caps.gpusWithAtLeast(gpu.minMemoryMib()) >= gpu.count();
    }

    @Override
    String detail(ActionRequirements action, Capabilities caps) {
      return "needs " + action.gpu() + ", has " + describeGpus(caps);
    }
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
    boolean admits(ActionRequirements action, Fleet.Group group, int member, Instant now) {
      return group.isActive(member);
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
    boolean admits(ActionRequirements action, Fleet.Group group, int member, Instant now) {
      return !group.cordoned(member);
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
    boolean admits(ActionRequirements action, Fleet.Group group, int member, Instant now) {
      return group.isFresh(member, now);
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
    boolean admits(ActionRequirements action, Fleet.Group group, int member, Instant now) {
      return group.hasFreeCapacity(member);
    }

    @Override
    String detail(ActionRequirements action, Worker worker, Instant now) {
      return "running " + worker.running() + " of " + worker.capabilities().maxConcurrentExecutions();
    }
  }

  static final class GpusFree extends StateRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.GPU_BUSY;
    }

    @Override
    public boolean admits(ActionRequirements action, Worker worker, Instant now) {
      return admits(action.gpu(), worker.capabilities(), worker.gpusInUse());
    }

    @Override
    boolean admits(ActionRequirements action, Fleet.Group group, int member, Instant now) {
      return action.gpu().count() == 0 || admits(action.gpu(), group.representative().capabilities(),
          group.gpusInUse(member));
    }

    /**
     * Enough of the worker's GPUs with the memory asked are free; a worker that has too few such GPUs at all is the
     * capability rule {@code gpu}'s to report, as waiting would not help.
     */
    private static boolean admits(GpuRequirement gpu, Capabilities caps, int inUse) {
      if (gpu.count() == 0) {
        return true;
      }
      int fitting = caps.gpusWithAtLeast(gpu.minMemoryMib());
      return fitting < gpu.count() || inUse + gpu.count() <= fitting;
    }

    @Override
    String detail(ActionRequirements action, Worker worker, Instant now) {
      int fitting = worker.capabilities().gpusWithAtLeast(action.gpu().minMemoryMib());
      return "needs " + action.gpu() + ", " + worker.gpusInUse() + " of its " + worker.capabilities().gpus().size()
          + " GPU" + (worker.capabilities().gpus().size() == 1 ? "" : "s") + " in use"
          + (fitting == worker.capabilities().gpus().size() ? "" : " (" + fitting + " with enough memory)");
    }
  }

  /** The GPUs as a detail reads them: {@code 2 GPUs (NVIDIA A100 (81920 MiB), ...)} or {@code no GPU}. */
  private static String describeGpus(Capabilities caps) {
    List<Gpu> gpus = caps.gpus();
    if (gpus.isEmpty()) {
      return "no GPU";
    }
    return gpus.size() + " GPU" + (gpus.size() == 1 ? "" : "s") + ": "
        + gpus.stream().map(Gpu::toString).collect(Collectors.joining(", "));
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

  private static boolean offersVersion(RuntimeName runtime, VersionConstraint constraint, Capabilities caps) {
    for (Version version : caps.versionsOf(runtime)) {
      if (constraint.isSatisfiedBy(version)) {
        return true;
      }
    }
    return false;
  }

  /** Why none of the runtime's advertised versions satisfies the constraint. */
  private static String versionProblem(RuntimeName runtime, VersionConstraint constraint, Capabilities caps) {
    List<Version> versions = caps.versionsOf(runtime);
    if (versions.isEmpty()) {
      return "advertises no version of " + runtime + ", needs " + constraint;
    }
    return runtime + " " + versions.stream().map(Version::toString).collect(Collectors.joining(", "))
        + " does not satisfy " + constraint;
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
