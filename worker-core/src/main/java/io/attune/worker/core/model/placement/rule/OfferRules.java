package io.attune.worker.core.model.placement.rule;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.Gpu;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.GpuRequirement;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.runtime.VersionConstraint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The capability rules on what a worker offers: runtimes and their versions, packs, GPUs. */
public final class OfferRules {

  private OfferRules() {
  }

  /** The worker offers the action's runtime. */
  static final class RuntimeOffered extends CapabilityRule {
    RuntimeOffered() {
      super(RejectionCode.RUNTIME_MISSING,
          (action, caps) -> "does not offer runtime " + action.runtime() + " (offers " + names(caps) + ")");
    }

    @Override
    boolean admits(ActionRequirements action, Capabilities caps) {
      return caps.offers(action.runtime());
    }
  }

  /** One of the versions it advertises of that runtime satisfies the action's constraint. */
  static final class RuntimeVersionSatisfied extends CapabilityRule {
    RuntimeVersionSatisfied() {
      super(RejectionCode.RUNTIME_VERSION,
          (action, caps) -> versionProblem(action.runtime(), action.runtimeVersion(), caps));
    }

    @Override
    boolean admits(ActionRequirements action, Capabilities caps) {
      // a missing runtime is reported by runtime_missing alone
      return action.runtimeVersion().isAny() || !caps.offers(action.runtime())
          || offersVersion(action.runtime(), action.runtimeVersion(), caps);
    }
  }

  /** It offers every further runtime the action requires, each in a version that satisfies it. */
  static final class RequiredRuntimesOffered extends CapabilityRule {
    RequiredRuntimesOffered() {
      super(RejectionCode.REQUIRED_RUNTIME, RequiredRuntimesOffered::detail);
    }

    @Override
    boolean admits(ActionRequirements action, Capabilities caps) {
      Map<RuntimeName, VersionConstraint> requiredRuntimes = action.requiredRuntimes();
      if (requiredRuntimes.isEmpty()) {
        return true; // the usual case, decided without an iterator
      }
      for (Map.Entry<RuntimeName, VersionConstraint> required : requiredRuntimes.entrySet()) {
        if (!offersRequired(required.getKey(), required.getValue(), caps)) {
          return false;
        }
      }
      return true;
    }

    private static String detail(ActionRequirements action, Capabilities caps) {
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

  /** It serves the action's pack. */
  public static final class PackServed extends CapabilityRule {
    PackServed() {
      super(RejectionCode.PACK_NOT_SERVED, (action, caps) -> "does not serve pack " + action.pack() + " (serves "
          + String.join(", ", caps.packs()) + ")");
    }

    @Override
    boolean admits(ActionRequirements action, Capabilities caps) {
      return caps.servesPack(action.pack());
    }
  }

  /** It has enough GPUs with the memory asked, busy or not. */
  public static final class GpusOffered extends CapabilityRule {
    GpusOffered() {
      super(RejectionCode.GPU, (action, caps) -> "needs " + action.gpu() + ", has " + describeGpus(caps));
    }

    @Override
    boolean admits(ActionRequirements action, Capabilities caps) {
      GpuRequirement gpu = action.gpu();
      return gpu.count() == 0 || caps.gpusWithAtLeast(gpu.minMemoryMib()) >= gpu.count();
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
}
