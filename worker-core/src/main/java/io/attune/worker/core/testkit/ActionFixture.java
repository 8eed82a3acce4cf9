package io.attune.worker.core.testkit;

import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.Affinity;
import io.attune.worker.core.model.placement.requirement.AffinityTerm;
import io.attune.worker.core.model.placement.requirement.GpuRequirement;
import io.attune.worker.core.model.placement.requirement.MatchExpression;
import io.attune.worker.core.model.placement.requirement.MatchOperator;
import io.attune.worker.core.model.placement.requirement.Toleration;
import io.attune.worker.core.model.placement.requirement.TolerationOperator;
import io.attune.worker.core.model.placement.requirement.WeightedTerm;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.VersionConstraint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds an action's requirements for a placement test: {@code anAction("pack.hello").runtime("python")}. */
public final class ActionFixture {

  private final ActionRef ref;
  private RuntimeName runtime = RuntimeName.SHELL;
  private VersionConstraint version = VersionConstraint.any();
  private final Map<RuntimeName, VersionConstraint> required = new LinkedHashMap<>();
  private final Map<String, String> selector = new LinkedHashMap<>();
  private final List<Toleration> tolerations = new ArrayList<>();
  private final List<AffinityTerm> requiredTerms = new ArrayList<>();
  private final List<WeightedTerm> preferred = new ArrayList<>();
  private final List<AffinityTerm> anti = new ArrayList<>();
  private GpuRequirement gpu = GpuRequirement.NONE;

  private ActionFixture(ActionRef ref) {
    this.ref = ref;
  }

  /** An action with the given reference that runs on {@code shell} until told otherwise. */
  public static ActionFixture anAction(String ref) {
    return new ActionFixture(ActionRef.parse(ref));
  }

  public ActionFixture runtime(String name) {
    this.runtime = RuntimeName.of(name);
    return this;
  }

  /** The action's {@code runtime_version} constraint, such as {@code ">=3.8"}. */
  public ActionFixture version(String constraint) {
    this.version = VersionConstraint.parse(constraint);
    return this;
  }

  /** Another runtime the action needs, with a constraint ({@code "*"} for any version). */
  public ActionFixture requires(String runtimeName, String constraint) {
    required.put(RuntimeName.of(runtimeName), VersionConstraint.parse(constraint));
    return this;
  }

  public ActionFixture selector(String key, String value) {
    selector.put(key, value);
    return this;
  }

  /** Tolerates a taint with this key and value, whatever its effect. */
  public ActionFixture tolerates(String key, String value) {
    tolerations.add(new Toleration(key, TolerationOperator.EQUAL, value, Optional.empty()));
    return this;
  }

  /** Tolerates a taint with this key and effect, whatever its value. */
  public ActionFixture toleratesKey(String key, TaintEffect effect) {
    tolerations.add(new Toleration(key, TolerationOperator.EXISTS, "", Optional.of(effect)));
    return this;
  }

  /** A required affinity term: the worker must have this label value (one term of several must match). */
  public ActionFixture requiresLabel(String key, String value) {
    requiredTerms.add(AffinityTerm.labels(Map.of(key, value)));
    return this;
  }

  /** A required affinity term: the worker's label must be one of the values. */
  public ActionFixture requiresLabelIn(String key, String... values) {
    requiredTerms.add(new AffinityTerm(Map.of(), List.of(new MatchExpression(key, MatchOperator.IN,
        List.of(values)))));
    return this;
  }

  /** A preferred affinity term with its weight. */
  public ActionFixture prefers(int weight, String key, String value) {
    preferred.add(new WeightedTerm(weight, AffinityTerm.labels(Map.of(key, value))));
    return this;
  }

  /** An anti-affinity term: a worker with this label value is rejected. */
  public ActionFixture avoids(String key, String value) {
    anti.add(AffinityTerm.labels(Map.of(key, value)));
    return this;
  }

  /** Needs this many GPUs, each with at least this much memory (0: any). */
  public ActionFixture gpus(int count, int minMemoryMib) {
    this.gpu = new GpuRequirement(count, minMemoryMib);
    return this;
  }

  public ActionRequirements build() {
    return new ActionRequirements(ref, runtime, version, required, selector, tolerations,
        new Affinity(requiredTerms, preferred, anti), gpu);
  }
}
