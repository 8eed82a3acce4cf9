package io.attune.worker.core.model.placement.requirement;

import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.Taint;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.VersionConstraint;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What an action needs from a worker: its runtime (and version), other required runtimes, a label selector,
 * the taints it tolerates, its affinity and the GPUs it needs. Its pack is its reference's.
 *
 * @param preferPreviousWorker the weight (1..{@value #MAX_PREVIOUS_WORKER_WEIGHT}) added to the preference score of
 *     the worker that last ran the action successfully, or 0 when the action does not ask for that preference
 */
public record ActionRequirements(
    ActionRef actionRef,
    RuntimeName runtime,
    VersionConstraint runtimeVersion,
    Map<RuntimeName, VersionConstraint> requiredRuntimes,
    Map<String, String> selector,
    List<Toleration> tolerations,
    Affinity affinity,
    int preferPreviousWorker,
    GpuRequirement gpu) {

  /** The weight of {@code prefer_previous_worker: true}, the highest a preference can have. */
  public static final int MAX_PREVIOUS_WORKER_WEIGHT = 100;

  public ActionRequirements {
    Objects.requireNonNull(actionRef, "actionRef");
    Objects.requireNonNull(runtime, "runtime");
    runtimeVersion = runtimeVersion == null ? VersionConstraint.any() : runtimeVersion;
    requiredRuntimes = Collections.unmodifiableMap(new TreeMap<>(requiredRuntimes));
    selector = Collections.unmodifiableMap(new TreeMap<>(selector));
    tolerations = List.copyOf(tolerations);
    affinity = affinity == null ? Affinity.none() : affinity;
    if (preferPreviousWorker < 0 || preferPreviousWorker > MAX_PREVIOUS_WORKER_WEIGHT) {
      throw new IllegalArgumentException("prefer_previous_worker weight must be 0 (off) to "
          + MAX_PREVIOUS_WORKER_WEIGHT + ", was " + preferPreviousWorker);
    }
    gpu = gpu == null ? GpuRequirement.NONE : gpu;
  }

  /** Requirements without the previous-worker preference and without GPUs. */
  public ActionRequirements(ActionRef actionRef, RuntimeName runtime, VersionConstraint runtimeVersion,
      Map<RuntimeName, VersionConstraint> requiredRuntimes, Map<String, String> selector,
      List<Toleration> tolerations, Affinity affinity) {
    this(actionRef, runtime, runtimeVersion, requiredRuntimes, selector, tolerations, affinity, 0,
        GpuRequirement.NONE);
  }

  /** Requirements without the previous-worker preference. */
  public ActionRequirements(ActionRef actionRef, RuntimeName runtime, VersionConstraint runtimeVersion,
      Map<RuntimeName, VersionConstraint> requiredRuntimes, Map<String, String> selector,
      List<Toleration> tolerations, Affinity affinity, GpuRequirement gpu) {
    this(actionRef, runtime, runtimeVersion, requiredRuntimes, selector, tolerations, affinity, 0, gpu);
  }

  /** True when the action prefers the worker that last ran it successfully. */
  public boolean prefersPreviousWorker() {
    return preferPreviousWorker > 0;
  }

  /** The same requirements with the previous-worker preference set to this weight (0 = off). */
  public ActionRequirements withPreferPreviousWorker(int weight) {
    return new ActionRequirements(actionRef, runtime, runtimeVersion, requiredRuntimes, selector, tolerations,
        affinity, weight, gpu);
  }

  /** The same requirements with these GPUs. */
  public ActionRequirements withGpu(GpuRequirement needed) {
    return new ActionRequirements(actionRef, runtime, runtimeVersion, requiredRuntimes, selector, tolerations,
        affinity, preferPreviousWorker, needed);
  }

  /** The pack of the action, which a worker must serve. */
  public String pack() {
    return actionRef.pack();
  }

  /** An action that only needs a runtime. */
  public static ActionRequirements of(ActionRef actionRef, RuntimeName runtime) {
    return new ActionRequirements(actionRef, runtime, VersionConstraint.any(), Map.of(), Map.of(), List.of(),
        Affinity.none(), GpuRequirement.NONE);
  }

  /** An action that only needs a runtime, its reference given as text ({@link ActionRef#parse}). */
  public static ActionRequirements of(String actionRef, RuntimeName runtime) {
    return of(ActionRef.parse(actionRef), runtime);
  }

  // The two loops below index their lists instead of iterating them: the scheduler's decision calls them on every
  // capability group, and there the JIT did not always remove the iterator (measured with JFR allocation samples).

  /** True when one of the tolerations covers the taint. */
  public boolean tolerates(Taint taint) {
    for (int i = 0; i < tolerations.size(); i++) {
      if (tolerations.get(i).tolerates(taint)) {
        return true;
      }
    }
    return false;
  }

  /** How many of the taints have the given effect and are not tolerated. */
  public int untolerated(List<Taint> taints, TaintEffect effect) {
    int count = 0;
    for (int i = 0; i < taints.size(); i++) {
      Taint taint = taints.get(i);
      if (taint.effect() == effect && !tolerates(taint)) {
        count++;
      }
    }
    return count;
  }
}
