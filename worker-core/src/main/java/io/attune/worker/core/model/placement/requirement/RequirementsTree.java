package io.attune.worker.core.model.placement.requirement;

import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.VersionConstraint;
import io.attune.worker.core.model.tree.TreeReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one codec of an action's placement requirements, a JSON-shaped tree in Attune's shapes:
 * {@code {"ref", "runtime", "runtime_version", "required_runtimes": {"node": ">=18"}, "selector": {...},
 * "tolerations": [{"key", "operator", "value", "effect"}], "affinity": {"required": [TERM], "preferred":
 * [{"weight", "preference": TERM}], "anti_affinity": [TERM]}, "prefer_previous_worker": true | 1..100, "gpu":
 * {"count", "min_memory_mib"}}} with TERM {@code {"match_labels", "match_expressions": [{"key", "operator",
 * "values"}]}}. {@code gpu} is written only when the action needs a GPU and {@code prefer_previous_worker} only when
 * asked for, so a document without them (also one stored before they existed) asks for neither.
 *
 * <p>Where the reference is kept apart (a column of its own), the tree is the same without {@code "ref"}. A
 * toleration without effect has no {@code "effect"} key; an action without the previous-worker preference has no
 * {@code "prefer_previous_worker"} key. Errors name the source, the key path and what was expected.
 */
public final class RequirementsTree {

  /** The placement keys, also read on their own, e.g. from the {@code placement:} block of a pack's action file. */
  public static final Set<String> PLACEMENT_KEYS = Set.of("required_runtimes", "selector", "tolerations",
      "affinity", "prefer_previous_worker", "gpu");

  /** The keys of a requirements document. */
  public static final Set<String> KEYS = Set.of("ref", "runtime", "runtime_version", "required_runtimes",
      "selector", "tolerations", "affinity", "prefer_previous_worker", "gpu");

  private static final Set<String> KEYS_WITHOUT_REF = Set.of("runtime", "runtime_version", "required_runtimes",
      "selector", "tolerations", "affinity", "prefer_previous_worker", "gpu");

  private static final String PREFER_PREVIOUS_WORKER = "prefer_previous_worker";

  private RequirementsTree() {
  }

  /** Reads a whole requirements document; the reference and runtime are required. */
  public static ActionRequirements fromTree(TreeReader tree) {
    tree.onlyKeys(KEYS);
    String text = tree.requiredString("ref");
    ActionRef ref;
    try {
      ref = ActionRef.parse(text);
    } catch (IllegalArgumentException invalid) {
      throw tree.error(tree.pathOf("ref") + " = '" + text + "'", "expected " + ActionRef.EXPECTED_FORM);
    }
    return fromParts(ref, tree, tree);
  }

  /** Reads a requirements document whose reference is kept apart, so the tree has no {@code "ref"}. */
  public static ActionRequirements fromTree(TreeReader tree, ActionRef ref) {
    return fromParts(ref, tree.onlyKeys(KEYS_WITHOUT_REF), tree);
  }

  /**
   * Reads requirements spread over two objects: {@code runtime} and {@code runtime_version} in one, the
   * {@link #PLACEMENT_KEYS} in the other (a pack's action file keeps them under {@code placement:}). Neither
   * object's other keys are checked here.
   */
  public static ActionRequirements fromParts(ActionRef ref, TreeReader runtimeTree, TreeReader placement) {
    return new ActionRequirements(ref, runtime(runtimeTree, "runtime"),
        versionConstraint(runtimeTree, "runtime_version"), requiredRuntimes(placement),
        placement.stringMap("selector"), tolerations(placement), affinity(placement),
        preferPreviousWorker(placement), gpu(placement));
  }

  /** The whole document, reference first. */
  public static Map<String, Object> toTree(ActionRequirements action) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("ref", action.actionRef().toString());
    tree.putAll(toTreeWithoutRef(action));
    return tree;
  }

  /** The document without its reference, for a store that keeps the reference apart. */
  public static Map<String, Object> toTreeWithoutRef(ActionRequirements action) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("runtime", action.runtime().value());
    tree.put("runtime_version", action.runtimeVersion().toString());
    Map<String, Object> required = new TreeMap<>();
    action.requiredRuntimes().forEach((r, c) -> required.put(r.value(), c.toString()));
    tree.put("required_runtimes", required);
    tree.put("selector", new TreeMap<>(action.selector()));
    List<Object> tolerations = new ArrayList<>();
    for (Toleration t : action.tolerations()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", t.key());
      m.put("operator", t.operator().wireName());
      m.put("value", t.value());
      t.effect().ifPresent(effect -> m.put("effect", effect.wireName()));
      tolerations.add(m);
    }
    tree.put("tolerations", tolerations);
    Map<String, Object> affinity = new LinkedHashMap<>();
    affinity.put("required", action.affinity().required().stream().map(RequirementsTree::termTree).toList());
    affinity.put("preferred", action.affinity().preferred().stream().map(w -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("weight", w.weight());
      m.put("preference", termTree(w.preference()));
      return (Object) m;
    }).toList());
    affinity.put("anti_affinity", action.affinity().antiAffinity().stream().map(RequirementsTree::termTree).toList());
    tree.put("affinity", affinity);
    if (action.prefersPreviousWorker()) {
      // written only when asked for, so the documents of actions without it keep their shape
      tree.put(PREFER_PREVIOUS_WORKER, action.preferPreviousWorker());
    }
    if (action.gpu().any()) {
      Map<String, Object> gpu = new LinkedHashMap<>();
      gpu.put("count", action.gpu().count());
      gpu.put("min_memory_mib", action.gpu().minMemoryMib());
      tree.put("gpu", gpu);
    }
    return tree;
  }

  /**
   * {@code prefer_previous_worker}: {@code true} (weight {@value ActionRequirements#MAX_PREVIOUS_WORKER_WEIGHT}),
   * {@code false} (off, as when absent) or a weight from 1 to 100.
   */
  private static int preferPreviousWorker(TreeReader tree) {
    if (!tree.has(PREFER_PREVIOUS_WORKER)) {
      return 0;
    }
    Object value = tree.raw(PREFER_PREVIOUS_WORKER);
    if (value instanceof Boolean on) {
      return on ? ActionRequirements.MAX_PREVIOUS_WORKER_WEIGHT : 0;
    }
    if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
        && number.doubleValue() >= 1 && number.doubleValue() <= ActionRequirements.MAX_PREVIOUS_WORKER_WEIGHT) {
      return number.intValue();
    }
    throw tree.wrong(PREFER_PREVIOUS_WORKER, "expected true, false or a weight from 1 to "
        + ActionRequirements.MAX_PREVIOUS_WORKER_WEIGHT);
  }

  /** A runtime name at a key. */
  private static RuntimeName runtime(TreeReader tree, String key) {
    String text = tree.requiredString(key);
    return RuntimeName.parse(text).orElseThrow(() -> tree.error(tree.pathOf(key) + " = '" + text + "'",
        "expected " + RuntimeName.expectedForm()));
  }

  /** A version constraint at a key, any when absent. */
  private static VersionConstraint versionConstraint(TreeReader tree, String key) {
    Optional<String> text = tree.string(key);
    if (text.isEmpty()) {
      return VersionConstraint.any();
    }
    try {
      return VersionConstraint.parse(text.get());
    } catch (IllegalArgumentException bad) {
      throw tree.error(tree.pathOf(key) + " = '" + text.get() + "'", bad.getMessage());
    }
  }

  /**
   * {@code required_runtimes}: a map of runtime to constraint, or a list of runtime names (any version of each).
   * A runtime named twice, also through an alias ({@code python} and {@code python3}), is an error.
   */
  private static Map<RuntimeName, VersionConstraint> requiredRuntimes(TreeReader tree) {
    Map<RuntimeName, VersionConstraint> required = new TreeMap<>();
    if (!tree.has("required_runtimes")) {
      return required;
    }
    if (tree.raw("required_runtimes") instanceof List) {
      List<String> names = tree.strings("required_runtimes").orElse(List.of());
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        String at = tree.pathOf("required_runtimes") + "[" + i + "]";
        RuntimeName runtime = RuntimeName.parse(name).orElseThrow(() -> tree.error(at + " = '" + name + "'",
            "expected " + RuntimeName.expectedForm()));
        putOnce(tree, required, at, runtime, VersionConstraint.any());
      }
      return required;
    }
    TreeReader map = tree.object("required_runtimes").orElseThrow();
    for (String key : map.keys()) {
      RuntimeName runtime = RuntimeName.parse(key).orElseThrow(() -> map.error(map.pathOf(key),
          "expected " + RuntimeName.expectedForm()));
      putOnce(map, required, map.pathOf(key), runtime, versionConstraint(map, key));
    }
    return required;
  }

  private static void putOnce(TreeReader tree, Map<RuntimeName, VersionConstraint> required, String at,
      RuntimeName runtime, VersionConstraint constraint) {
    if (required.put(runtime, constraint) != null) {
      throw tree.error(at, "expected each runtime once; " + runtime.value()
          + " is named twice (aliases count as their runtime)");
    }
  }

  /** {@code tolerations: [{key, operator, value, effect}]}. */
  private static List<Toleration> tolerations(TreeReader tree) {
    List<Toleration> tolerations = new ArrayList<>();
    for (TreeReader t : tree.objects("tolerations")) {
      t.onlyKeys(Set.of("key", "operator", "value", "effect"));
      String operatorText = t.string("operator").orElse("equal");
      TolerationOperator operator = TolerationOperator.parse(operatorText).orElseThrow(() -> t.error(
          t.pathOf("operator") + " = '" + operatorText + "'", "expected equal or exists"));
      Optional<TaintEffect> effect = Optional.empty();
      if (t.has("effect")) {
        String effectText = t.string("effect").orElseThrow();
        effect = Optional.of(TaintEffect.parse(effectText).orElseThrow(() -> t.error(
            t.pathOf("effect") + " = '" + effectText + "'", "expected no_schedule or prefer_no_schedule")));
      }
      String key = t.string("key").orElse("");
      if (key.isEmpty() && operator != TolerationOperator.EXISTS) {
        throw t.error(t.pathOf("key"), "is required unless operator is exists");
      }
      tolerations.add(new Toleration(key, operator, t.string("value").orElse(""), effect));
    }
    return tolerations;
  }

  /**
   * {@code gpu: {count, min_memory_mib}}: count from 1 to {@link GpuRequirement#MAX_COUNT} (default 1), memory in MiB
   * (default 0, any); absent: no GPU.
   */
  private static GpuRequirement gpu(TreeReader tree) {
    Optional<TreeReader> gpu = tree.object("gpu");
    if (gpu.isEmpty()) {
      return GpuRequirement.NONE;
    }
    TreeReader g = gpu.get().onlyKeys(Set.of("count", "min_memory_mib"));
    int count = g.integer("count", 1, GpuRequirement.MAX_COUNT).orElse(1);
    int memory = g.integer("min_memory_mib", 0, Integer.MAX_VALUE).orElse(0);
    return new GpuRequirement(count, memory);
  }

  /** {@code affinity: {required, preferred, anti_affinity}}. */
  private static Affinity affinity(TreeReader tree) {
    Optional<TreeReader> affinity = tree.object("affinity");
    if (affinity.isEmpty()) {
      return Affinity.none();
    }
    TreeReader a = affinity.get().onlyKeys(Set.of("required", "preferred", "anti_affinity"));
    List<AffinityTerm> required = a.objects("required").stream().map(RequirementsTree::term).toList();
    List<WeightedTerm> preferred = new ArrayList<>();
    for (TreeReader p : a.objects("preferred")) {
      p.onlyKeys(Set.of("weight", "preference"));
      int weight = p.integer("weight", 1, 100).orElseThrow(() -> p.error(p.pathOf("weight"),
          "is required: expected an integer from 1 to 100"));
      TreeReader preference = p.object("preference").orElseThrow(() -> p.error(p.pathOf("preference"),
          "is required: expected a term {match_labels, match_expressions}"));
      preferred.add(new WeightedTerm(weight, term(preference)));
    }
    List<AffinityTerm> anti = a.objects("anti_affinity").stream().map(RequirementsTree::term).toList();
    return new Affinity(required, preferred, anti);
  }

  private static AffinityTerm term(TreeReader t) {
    t.onlyKeys(Set.of("match_labels", "match_expressions"));
    List<MatchExpression> expressions = new ArrayList<>();
    for (TreeReader e : t.objects("match_expressions")) {
      e.onlyKeys(Set.of("key", "operator", "values"));
      String operatorText = e.requiredString("operator");
      MatchOperator operator = MatchOperator.parse(operatorText).orElseThrow(() -> e.error(
          e.pathOf("operator") + " = '" + operatorText + "'", "expected in, not_in, exists or does_not_exist"));
      try {
        expressions.add(new MatchExpression(e.requiredString("key"), operator, e.strings("values").orElse(List.of())));
      } catch (IllegalArgumentException bad) {
        throw e.error(e.pathOf("values"), bad.getMessage());
      }
    }
    return new AffinityTerm(t.stringMap("match_labels"), expressions);
  }

  private static Map<String, Object> termTree(AffinityTerm term) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("match_labels", new TreeMap<>(term.matchLabels()));
    m.put("match_expressions", term.matchExpressions().stream().map(e -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("key", e.key());
      x.put("operator", e.operator().wireName());
      x.put("values", e.values());
      return (Object) x;
    }).toList());
    return m;
  }
}
