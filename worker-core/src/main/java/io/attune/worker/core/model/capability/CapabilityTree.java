package io.attune.worker.core.model.capability;

import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.tree.TreeReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Capabilities as a JSON-shaped tree with snake_case keys, the shape stored and sent:
 * {@code {"runtimes", "max_concurrent_executions", "worker_version", "runtime_versions", "labels", "taints",
 * "gpus": [{"model", "memory_mib"}], "packs": [...], ...}}. {@code gpus} and {@code packs} are written only when not
 * empty, so a tree without them (also one stored before they existed) means no GPU and every pack. Other keys pass
 * through unchanged.
 */
public final class CapabilityTree {

  private CapabilityTree() {
  }

  public static Map<String, Object> toTree(Capabilities caps) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("runtimes", caps.runtimes().stream().map(RuntimeName::value).toList());
    tree.put("max_concurrent_executions", caps.maxConcurrentExecutions());
    tree.put("worker_version", caps.workerVersion());
    Map<String, Object> versions = new TreeMap<>();
    caps.runtimeVersions().forEach((r, v) -> versions.put(r.value(), v.stream().map(Version::toString).toList()));
    tree.put("runtime_versions", versions);
    tree.put("labels", new TreeMap<>(caps.labels()));
    List<Object> taints = new ArrayList<>();
    for (Taint taint : caps.taints()) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("key", taint.key());
      t.put("value", taint.value());
      t.put("effect", taint.effect().wireName());
      taints.add(t);
    }
    tree.put("taints", taints);
    if (!caps.gpus().isEmpty()) {
      List<Object> gpus = new ArrayList<>();
      for (Gpu gpu : caps.gpus()) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("model", gpu.model());
        g.put("memory_mib", gpu.memoryMib());
        gpus.add(g);
      }
      tree.put("gpus", gpus);
    }
    if (!caps.packs().isEmpty()) {
      tree.put("packs", List.copyOf(caps.packs()));
    }
    tree.putAll(caps.extras());
    return tree;
  }

  /** Reads capabilities; runtime names are canonicalised, unknown keys kept as extras. */
  public static Capabilities fromTree(TreeReader tree) {
    Capabilities.Builder builder = Capabilities.builder();
    List<RuntimeName> runtimes = new ArrayList<>();
    List<String> names = tree.strings("runtimes").orElse(List.of());
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      int index = i;
      runtimes.add(RuntimeName.parse(name).orElseThrow(() -> tree.error(
          tree.pathOf("runtimes") + "[" + index + "] = '" + name + "'", "expected " + RuntimeName.expectedForm())));
    }
    builder.runtimes(runtimes);
    tree.integer("max_concurrent_executions", 1, Integer.MAX_VALUE).ifPresent(builder::maxConcurrentExecutions);
    tree.string("worker_version").ifPresent(builder::workerVersion);
    Map<RuntimeName, List<Version>> versions = new TreeMap<>();
    tree.object("runtime_versions").ifPresent(rv -> {
      for (String key : rv.keys()) {
        RuntimeName runtime = RuntimeName.parse(key).orElseThrow(() -> rv.error(rv.pathOf(key),
            "expected " + RuntimeName.expectedForm()));
        List<Version> parsed = new ArrayList<>();
        for (String v : rv.strings(key).orElse(List.of())) {
          try {
            parsed.add(Version.parse(v));
          } catch (IllegalArgumentException bad) {
            throw rv.error(rv.pathOf(key) + " = '" + v + "'", "expected a version like 3.11.2");
          }
        }
        versions.merge(runtime, parsed, (a, b) -> {
          List<Version> all = new ArrayList<>(a);
          all.addAll(b);
          return all;
        });
      }
    });
    builder.runtimeVersions(versions);
    builder.labels(tree.stringMap("labels"));
    builder.taints(taints(tree));
    builder.gpus(gpus(tree));
    builder.packs(packs(tree, "packs"));
    builder.extras(tree.rest(Capabilities.KNOWN_KEYS));
    return builder.build();
  }

  /** The largest concurrency limit a configuration file may declare. */
  public static final int MAX_DECLARED_CONCURRENT_EXECUTIONS = 10_000;

  /** Keys of the stored shape that a worker learns by itself and a configuration file may not declare. */
  static final Map<String, String> NOT_DECLARABLE = Map.of(
      "worker_version", "no such setting: the worker learns its worker version from its build",
      "runtime_versions", "no such setting: the worker learns its runtime versions by probing each runtime's binary",
      "gpus", "no such setting: the worker learns its GPUs by probing nvidia-smi",
      "packs", "not a capability setting: the packs a worker serves are worker.packs (or ATTUNE_WORKER_PACKS)");

  /**
   * Reads a configuration file's {@code worker.capabilities} section: the raw {@code runtimes} entries (resolved
   * later, with the other tiers), the concurrency limit, labels and taints; other keys pass through as extras. A key
   * that only the worker itself can know ({@code worker_version}, {@code runtime_versions}) is an error naming it,
   * instead of a setting silently ignored.
   */
  public static CapabilityDeclaration declarationFromTree(TreeReader tree) {
    for (String key : new TreeMap<>(NOT_DECLARABLE).keySet()) {
      if (tree.keys().contains(key)) {
        throw tree.error(tree.pathOf(key), NOT_DECLARABLE.get(key));
      }
    }
    return new CapabilityDeclaration(tree.source(), tree.list("runtimes"),
        tree.integer("max_concurrent_executions", 1, MAX_DECLARED_CONCURRENT_EXECUTIONS), tree.stringMap("labels"),
        taints(tree), tree.rest(Capabilities.KNOWN_KEYS));
  }

  /** Reads {@code gpus: [{model, memory_mib}]}; both keys are required. */
  public static List<Gpu> gpus(TreeReader tree) {
    List<Gpu> gpus = new ArrayList<>();
    for (TreeReader g : tree.objects("gpus")) {
      g.onlyKeys(Set.of("model", "memory_mib"));
      String model = g.requiredString("model");
      if (model.isBlank()) {
        throw g.error(g.pathOf("model"), "expected the GPU's model, e.g. NVIDIA A100-SXM4-80GB");
      }
      int memory = g.integer("memory_mib", 0, Integer.MAX_VALUE).orElseThrow(() -> g.error(g.pathOf("memory_mib"),
          "is required: expected the GPU's memory in MiB, e.g. 81920"));
      gpus.add(new Gpu(model, memory));
    }
    return gpus;
  }

  /**
   * Reads a list of pack names at the key (absent or empty: every pack); an entry that is not a pack name is an
   * error naming it.
   */
  public static List<String> packs(TreeReader tree, String key) {
    List<Object> entries = tree.list(key).orElse(List.of());
    List<String> packs = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Object entry = entries.get(i);
      String name = entry instanceof String text ? text.strip() : null;
      if (!ActionRef.isPackName(name)) {
        throw tree.error(tree.pathOf(key) + "[" + i + "] = " + TreeReader.describe(entry),
            "expected a pack name: " + ActionRef.PACK_FORM);
      }
      packs.add(name);
    }
    return packs;
  }

  /** Reads {@code taints: [{key, value, effect}]}. */
  public static List<Taint> taints(TreeReader tree) {
    List<Taint> taints = new ArrayList<>();
    for (TreeReader t : tree.objects("taints")) {
      String effectText = t.string("effect").orElse("no_schedule");
      Optional<TaintEffect> effect = TaintEffect.parse(effectText);
      if (effect.isEmpty()) {
        throw t.error(t.pathOf("effect") + " = '" + effectText + "'", "expected no_schedule or prefer_no_schedule");
      }
      taints.add(new Taint(t.requiredString("key"), t.string("value").orElse(""), effect.get()));
    }
    return taints;
  }
}
