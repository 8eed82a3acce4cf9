package io.attune.worker.core.service;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.CapabilityDeclaration;
import io.attune.worker.core.model.capability.CapabilitySource;
import io.attune.worker.core.model.capability.Interpreter;
import io.attune.worker.core.model.capability.ProbeReport;
import io.attune.worker.core.model.capability.ResolvedCapabilities;
import io.attune.worker.core.model.runtime.KnownRuntime;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.port.in.ResolveCapabilitiesUseCase;
import io.attune.worker.core.port.out.CapabilityConfiguration;
import io.attune.worker.core.port.out.Environment;
import io.attune.worker.core.port.out.RuntimeProbe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Resolves capabilities by three tiers, highest first: {@code ATTUNE_WORKER_RUNTIMES}, the configuration file's
 * {@code worker.capabilities.runtimes}, then auto-detection. Whatever the tier, every advertised runtime whose
 * binary is found gets its version recorded.
 *
 * <p>Custom runtimes defined outside the core (by packs) are probed like the built-in ones: by auto-detection,
 * in the same parallel probe, and when a declaring tier names them.
 */
public final class ResolveCapabilitiesService implements ResolveCapabilitiesUseCase {

  private final Environment environment;
  private final CapabilityConfiguration configuration;
  private final RuntimeProbe probe;
  private final List<KnownRuntime> defined;

  public ResolveCapabilitiesService(Environment environment, CapabilityConfiguration configuration,
      RuntimeProbe probe) {
    this(environment, configuration, probe, List.of());
  }

  /**
   * @param defined custom runtimes defined outside the core, e.g. by packs, with how to find and probe their
   *     interpreter; none may be a built-in runtime, and each name at most once
   */
  public ResolveCapabilitiesService(Environment environment, CapabilityConfiguration configuration,
      RuntimeProbe probe, List<KnownRuntime> defined) {
    this.environment = environment;
    this.configuration = configuration;
    this.probe = probe;
    this.defined = List.copyOf(defined);
    Set<RuntimeName> seen = new TreeSet<>();
    for (KnownRuntime runtime : this.defined) {
      if (runtime.name().isBuiltIn() || !seen.add(runtime.name())) {
        throw new IllegalArgumentException("defined runtime " + runtime.name()
            + " is built in or defined twice: expected each custom runtime once");
      }
    }
  }

  @Override
  public ResolvedCapabilities resolve() {
    List<String> warnings = new ArrayList<>();
    Optional<CapabilityDeclaration> declaration = configuration.declaredCapabilities();

    CapabilitySource source;
    Set<RuntimeName> runtimes = fromEnvironment(warnings).orElse(null);
    if (runtimes != null) {
      source = CapabilitySource.ENVIRONMENT;
    } else {
      runtimes = declaration.flatMap(d -> fromConfiguration(d, warnings)).orElse(null);
      source = runtimes != null ? CapabilitySource.CONFIG : CapabilitySource.AUTO_DETECT;
    }

    ProbeReport report;
    if (source == CapabilitySource.AUTO_DETECT) {
      List<KnownRuntime> all = new ArrayList<>(KnownRuntime.PROBED);
      all.addAll(defined);
      report = probe.probeWithGpus(all);
      runtimes = new TreeSet<>(KnownRuntime.ALWAYS_OFFERED);
      for (Interpreter found : report.interpreters()) {
        runtimes.add(found.runtime());
      }
    } else {
      List<KnownRuntime> toProbe = runtimes.stream().map(this::recipeFor).flatMap(Optional::stream).toList();
      // GPUs are probed whatever the tier: declaring runtimes says nothing about the machine's GPUs
      report = probe.probeWithGpus(toProbe);
      for (KnownRuntime declared : toProbe) {
        if (report.interpreterFor(declared.name()).isEmpty()) {
          warnings.add("runtime " + declared.name() + " is declared (" + source.wireName()
              + ") but none of " + declared.binaries() + " answered here; it is advertised without a version");
        }
      }
    }
    warnings.addAll(report.warnings());

    Map<RuntimeName, List<Version>> versions = new TreeMap<>();
    for (Interpreter interpreter : report.interpreters()) {
      if (runtimes.contains(interpreter.runtime())) {
        versions.computeIfAbsent(interpreter.runtime(), k -> new ArrayList<>()).add(interpreter.version());
      }
    }

    Capabilities capabilities = Capabilities.builder()
        .runtimes(runtimes)
        .runtimeVersions(versions)
        .maxConcurrentExecutions(maxConcurrentExecutions(declaration))
        .labels(labels(declaration))
        .taints(declaration.map(CapabilityDeclaration::taints).orElse(List.of()))
        .gpus(report.gpus())
        .packs(packs(declaration, warnings))
        .extras(declaration.map(CapabilityDeclaration::extras).orElse(Map.of()))
        .build();
    List<Interpreter> advertised = report.interpreters().stream()
        .filter(i -> capabilities.offers(i.runtime())).toList();
    return new ResolvedCapabilities(capabilities, source, advertised, warnings);
  }

  /** How to find a runtime's interpreter: a built-in recipe, or a definition from outside the core. */
  private Optional<KnownRuntime> recipeFor(RuntimeName name) {
    return KnownRuntime.forName(name).or(() -> defined.stream().filter(d -> d.name().equals(name)).findFirst());
  }

  private Optional<Set<RuntimeName>> fromEnvironment(List<String> warnings) {
    Optional<String> value = environment.get(Environment.WORKER_RUNTIMES);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Set<RuntimeName> names = new TreeSet<>();
    for (String part : value.get().split(",", -1)) {
      if (part.isBlank()) {
        continue;
      }
      Optional<RuntimeName> name = RuntimeName.parse(part);
      if (name.isPresent()) {
        names.add(name.get());
      } else {
        warnings.add(Environment.WORKER_RUNTIMES + ": '" + part.trim() + "' is not a runtime name, ignored: expected "
            + RuntimeName.expectedForm());
      }
    }
    if (names.isEmpty()) {
      warnings.add(Environment.WORKER_RUNTIMES + "='" + value.get()
          + "' yields no runtime name; ignored, falling back to the configuration file or auto-detection");
      return Optional.empty();
    }
    return Optional.of(names);
  }

  private static Optional<Set<RuntimeName>> fromConfiguration(CapabilityDeclaration declaration,
      List<String> warnings) {
    if (declaration.runtimes().isEmpty()) {
      return Optional.empty();
    }
    List<Object> entries = declaration.runtimes().get();
    if (entries.isEmpty()) {
      warnings.add(declaration.source() + ": worker.capabilities.runtimes is an empty list; auto-detecting instead");
      return Optional.empty();
    }
    Set<RuntimeName> names = new TreeSet<>();
    for (int i = 0; i < entries.size(); i++) {
      Object entry = entries.get(i);
      String entryName = "worker.capabilities.runtimes[" + i + "]";
      if (!(entry instanceof String text)) {
        throw new ConfigurationException(declaration.source(), entryName + " = " + entry,
            "expected a string: " + RuntimeName.expectedForm());
      }
      names.add(RuntimeName.parse(text).orElseThrow(() -> new ConfigurationException(declaration.source(),
          entryName + " = '" + text + "'", "expected " + RuntimeName.expectedForm())));
    }
    return Optional.of(names);
  }

  private int maxConcurrentExecutions(Optional<CapabilityDeclaration> declaration) {
    Optional<String> fromEnv = environment.get(Environment.WORKER_MAX_CONCURRENT_EXECUTIONS);
    if (fromEnv.isPresent()) {
      try {
        int value = Integer.parseInt(fromEnv.get().trim());
        if (value >= 1) {
          return value;
        }
      } catch (NumberFormatException notANumber) {
        // reported below
      }
      throw new ConfigurationException("environment",
          Environment.WORKER_MAX_CONCURRENT_EXECUTIONS + "='" + fromEnv.get() + "'", "expected a positive integer");
    }
    if (declaration.isEmpty() || declaration.get().maxConcurrentExecutions().isEmpty()) {
      return Capabilities.DEFAULT_MAX_CONCURRENT_EXECUTIONS;
    }
    int declared = declaration.get().maxConcurrentExecutions().get();
    if (declared < 1) {
      throw new ConfigurationException(declaration.get().source(),
          "worker.capabilities.max_concurrent_executions = " + declared, "expected a positive integer");
    }
    return declared;
  }

  /**
   * The packs served: {@code ATTUNE_WORKER_PACKS} when it names at least one, else the configuration's
   * {@code worker.packs}; none named means every pack. An entry that is not a pack name is an error naming it.
   */
  private Set<String> packs(Optional<CapabilityDeclaration> declaration, List<String> warnings) {
    Optional<String> value = environment.get(Environment.WORKER_PACKS);
    Set<String> names = new TreeSet<>();
    if (value.isPresent()) {
      for (String part : value.get().split(",", -1)) {
        String name = part.strip();
        if (name.isEmpty()) {
          continue;
        }
        if (!ActionRef.isPackName(name)) {
          throw new ConfigurationException("environment", Environment.WORKER_PACKS + " entry '" + name + "'",
              "expected comma-separated pack names (" + ActionRef.PACK_FORM + "), e.g. core,ml");
        }
        names.add(name);
      }
      if (!names.isEmpty()) {
        return names;
      }
      if (!value.get().isEmpty()) {
        warnings.add(Environment.WORKER_PACKS + "='" + value.get()
            + "' names no pack; ignored, serving the configuration's packs or, without them, every pack");
      }
    }
    declaration.ifPresent(d -> names.addAll(d.packs()));
    return names;
  }

  private Map<String, String> labels(Optional<CapabilityDeclaration> declaration) {
    Map<String, String> labels = new LinkedHashMap<>(declaration.map(CapabilityDeclaration::labels).orElse(Map.of()));
    environment.get(Environment.WORKER_LABELS).ifPresent(text -> labels.putAll(parseLabels(text)));
    return labels;
  }

  /** Parses {@code key=value,key=value}; blanks between commas are ignored. */
  public static Map<String, String> parseLabels(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String pair : text.split(",", -1)) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0 || pair.substring(0, eq).isBlank()) {
        throw new ConfigurationException("environment", Environment.WORKER_LABELS + " entry '" + pair.trim() + "'",
            "expected key=value pairs separated by commas, e.g. zone=east,gpu=nvidia");
      }
      labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return labels;
  }
}
