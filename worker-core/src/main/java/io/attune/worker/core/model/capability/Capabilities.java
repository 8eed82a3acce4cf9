package io.attune.worker.core.model.capability;

import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a worker advertises: canonical runtimes (sorted, no duplicates), their versions, its concurrency limit,
 * labels, taints, the GPUs it found, the packs it serves (none named: all), and any other keys declared in its
 * configuration, passed through unchanged.
 */
public record Capabilities(
    Set<RuntimeName> runtimes,
    int maxConcurrentExecutions,
    String workerVersion,
    Map<RuntimeName, List<Version>> runtimeVersions,
    Map<String, String> labels,
    List<Taint> taints,
    List<Gpu> gpus,
    Set<String> packs,
    Map<String, Object> extras) {

  /** The version every worker built from this code advertises: the POM's, through {@link WorkerVersion}. */
  public static final String WORKER_VERSION = WorkerVersion.current();

  /** The concurrency limit when nothing else is declared. */
  public static final int DEFAULT_MAX_CONCURRENT_EXECUTIONS = 10;

  /** Keys with a meaning of their own; an extra key may not reuse them. */
  public static final Set<String> KNOWN_KEYS = Set.of(
      "runtimes", "max_concurrent_executions", "worker_version", "runtime_versions", "labels", "taints", "gpus",
      "packs");

  public Capabilities {
    runtimes = Collections.unmodifiableSortedSet(new TreeSet<>(runtimes));
    if (maxConcurrentExecutions < 1) {
      throw new IllegalArgumentException(
          "max_concurrent_executions must be at least 1, was " + maxConcurrentExecutions);
    }
    Objects.requireNonNull(workerVersion, "workerVersion");
    Map<RuntimeName, List<Version>> versions = new TreeMap<>();
    runtimeVersions.forEach((runtime, list) -> {
      if (!list.isEmpty()) {
        versions.put(runtime, List.copyOf(new TreeSet<>(list)));
      }
    });
    runtimeVersions = Collections.unmodifiableMap(versions);
    labels = Collections.unmodifiableMap(new TreeMap<>(labels));
    taints = List.copyOf(taints);
    gpus = List.copyOf(gpus);
    for (String pack : packs) {
      if (!ActionRef.isPackName(pack)) {
        throw new IllegalArgumentException("pack name '" + pack + "' is not valid: expected " + ActionRef.PACK_FORM);
      }
    }
    packs = Collections.unmodifiableSortedSet(new TreeSet<>(packs));
    extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    for (String key : extras.keySet()) {
      if (KNOWN_KEYS.contains(key)) {
        throw new IllegalArgumentException("extra capability key '" + key + "' clashes with a known key");
      }
    }
  }

  /** Starts a builder with the defaults: no runtimes, 10 concurrent executions, this worker version. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this value's fields, to change a few. */
  public Builder toBuilder() {
    return new Builder().runtimes(runtimes).maxConcurrentExecutions(maxConcurrentExecutions)
        .workerVersion(workerVersion).runtimeVersions(runtimeVersions).labels(labels).taints(taints).gpus(gpus).packs(packs).extras(extras);
  }

  /** True when the worker offers the runtime. */
  public boolean offers(RuntimeName runtime) {
    return runtimes.contains(runtime);
  }

  /** The versions advertised for a runtime, oldest first; empty when none is known. */
  public List<Version> versionsOf(RuntimeName runtime) {
    return runtimeVersions.getOrDefault(runtime, List.of());
  }

  /** True when the worker serves the pack: it names it, or it names no pack and so serves all. */
  public boolean servesPack(String pack) {
    return packs.isEmpty() || packs.contains(pack);
  }

  /** How many of its GPUs have at least this much memory; allocates nothing (the scheduler's hot path calls it). */
  public int gpusWithAtLeast(int memoryMib) {
    int count = 0;
    for (int i = 0; i < gpus.size(); i++) {
      if (gpus.get(i).memoryMib() >= memoryMib) {
        count++;
      }
    }
    return count;
  }

  /** Collects the fields of {@link Capabilities}. */
  public static final class Builder {
    private final Set<RuntimeName> runtimes = new TreeSet<>();
    private int maxConcurrentExecutions = DEFAULT_MAX_CONCURRENT_EXECUTIONS;
    private String workerVersion = WORKER_VERSION;
    private final Map<RuntimeName, List<Version>> runtimeVersions = new TreeMap<>();
    private final Map<String, String> labels = new TreeMap<>();
    private final List<Taint> taints = new ArrayList<>();
    private final List<Gpu> gpus = new ArrayList<>();
    private final Set<String> packs = new TreeSet<>();
    private final Map<String, Object> extras = new LinkedHashMap<>();

    private Builder() {
    }

    public Builder runtimes(Collection<RuntimeName> names) {
      runtimes.clear();
      runtimes.addAll(names);
      return this;
    }

    public Builder runtime(RuntimeName name, Version... versions) {
      runtimes.add(name);
      if (versions.length > 0) {
        runtimeVersions.computeIfAbsent(name, k -> new ArrayList<>()).addAll(List.of(versions));
      }
      return this;
    }

    public Builder maxConcurrentExecutions(int max) {
      this.maxConcurrentExecutions = max;
      return this;
    }

    public Builder workerVersion(String version) {
      this.workerVersion = version;
      return this;
    }

    public Builder runtimeVersions(Map<RuntimeName, List<Version>> versions) {
      runtimeVersions.clear();
      versions.forEach((k, v) -> runtimeVersions.put(k, new ArrayList<>(v)));
      return this;
    }

    public Builder labels(Map<String, String> values) {
      labels.clear();
      labels.putAll(values);
      return this;
    }

    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    public Builder taints(Collection<Taint> values) {
      taints.clear();
      taints.addAll(values);
      return this;
    }

    public Builder taint(Taint taint) {
      taints.add(taint);
      return this;
    }

    public Builder gpus(Collection<Gpu> values) {
      gpus.clear();
      gpus.addAll(values);
      return this;
    }

    public Builder gpu(Gpu value) {
      gpus.add(value);
      return this;
    }

    /** The packs served; none means all. */
    public Builder packs(Collection<String> names) {
      packs.clear();
      packs.addAll(names);
      return this;
    }

    public Builder extras(Map<String, Object> values) {
      extras.clear();
      extras.putAll(values);
      return this;
    }

    public Capabilities build() {
      return new Capabilities(runtimes, maxConcurrentExecutions, workerVersion, runtimeVersions, labels, taints, gpus,
          packs, extras);
    }
  }
}
