package io.attune.worker.bootstrap.demo;

import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.wiring.LocalMachine;
import io.attune.worker.core.embed.EmbeddedWorker;
import io.attune.worker.core.embed.WorkerSettings;
import io.attune.worker.core.model.capability.ProbeReport;
import io.attune.worker.core.model.capability.ResolvedCapabilities;
import io.attune.worker.core.model.runtime.KnownRuntime;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.port.out.ActionCatalog;
import io.attune.worker.core.port.out.CapabilityConfiguration;
import io.attune.worker.core.port.out.Environment;
import io.attune.worker.core.port.out.RuntimeProbe;
import io.attune.worker.core.service.ResolveCapabilitiesService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The demo's workers: one embedded worker per container variant, each declared through its own environment as a
 * container would be, on a probe of this machine made once.
 */
final class DemoWorkers {

  /** A worker of the demo, mirroring one container variant. */
  record Variant(String name, List<RuntimeName> runtimes, int slots, String labels) {
  }

  static final List<Variant> VARIANTS = List.of(
      new Variant("worker-shell", List.of(RuntimeName.SHELL), 2, "zone=west"),
      new Variant("worker-python", List.of(RuntimeName.SHELL, RuntimeName.PYTHON), 2, "zone=east"),
      new Variant("worker-node", List.of(RuntimeName.SHELL, RuntimeName.NODE), 2, "zone=west"),
      new Variant("worker-full", List.of(RuntimeName.SHELL, RuntimeName.PYTHON, RuntimeName.NODE,
          RuntimeName.NATIVE), 3, "zone=east"));

  private final AttuneConfig config;
  private final Map<String, String> environment;
  private final Clock clock;
  private final Narration narration;

  /**
   * @param environment the demo's environment, to which each worker adds its variant's
   * @param clock the workers' clock
   */
  DemoWorkers(AttuneConfig config, Map<String, String> environment, Clock clock, Narration narration) {
    this.config = config;
    this.environment = environment;
    this.clock = clock;
    this.narration = narration;
  }

  /** How many executions the variants hold at once. */
  static int capacity() {
    return VARIANTS.stream().mapToInt(Variant::slots).sum();
  }

  /**
   * Probes the machine once, says what it found, and starts an embedded worker per variant, as a service embedding
   * the core would; returns them, to close them.
   */
  List<EmbeddedWorker> start(EmbeddedSystem system, ActionCatalog catalog) {
    RuntimeProbe machine = probeTheMachineOnce();
    ProbeReport found = machine.probe(KnownRuntime.PROBED);
    List<EmbeddedWorker> workers = new ArrayList<>();
    for (Variant variant : VARIANTS) {
      workers.add(startWorker(variant, declaredRuntimes(variant, found), system, catalog, machine));
    }
    return workers;
  }

  /** Probes the machine once and says what it found; every worker's resolution reuses the answer. */
  private RuntimeProbe probeTheMachineOnce() {
    RuntimeProbe machine = probedOnce(config);
    ProbeReport found = machine.probe(KnownRuntime.PROBED);
    narration.say("probed this machine: " + (found.interpreters().isEmpty() ? "no interpreters"
        : found.interpreters().stream().map(i -> i.runtime() + " " + i.version()).collect(Collectors.joining(", "))));
    return machine;
  }

  /** The variant's runtimes that this machine has (a custom one counts as present): what its worker declares. */
  private static List<RuntimeName> declaredRuntimes(Variant variant, ProbeReport found) {
    return variant.runtimes().stream()
        .filter(r -> KnownRuntime.forName(r).isEmpty() || found.interpreterFor(r).isPresent()).toList();
  }

  private EmbeddedWorker startWorker(Variant variant, List<RuntimeName> declared, EmbeddedSystem system,
      ActionCatalog catalog, RuntimeProbe machine) {
    Map<String, String> workerEnv = workerEnvironment(variant, declared);
    ResolvedCapabilities resolved = new ResolveCapabilitiesService(Environment.of(workerEnv),
        CapabilityConfiguration.none(), machine).resolve();
    // closed once everything ended (or was cancelled at the deadline): nothing is left to wait for
    EmbeddedWorker embedded = EmbeddedWorker.builder(variant.name(), resolved.capabilities())
        .registry(system.registry()).directory(system.registry()).executions(system.store())
        .inbox(system.dispatcher()).actions(catalog, LocalMachine.runner(config, resolved, workerEnv))
        .clock(clock).events(system.ends()).settings(WorkerSettings.DEFAULTS.withDrainGrace(Duration.ZERO))
        .start();
    Worker worker = embedded.worker();
    List<RuntimeName> missing = variant.runtimes().stream().filter(r -> !declared.contains(r)).toList();
    narration.say(String.format(Locale.ROOT, "%-14s %s=%s, %d slots, %s%s", worker.name(),
        Environment.WORKER_RUNTIMES, workerEnv.get(Environment.WORKER_RUNTIMES), variant.slots(), variant.labels(),
        missing.isEmpty() ? "" : "  (" + missing.stream().map(RuntimeName::value).collect(Collectors.joining(", "))
            + " not found on this machine, not declared)"));
    return embedded;
  }

  /** The demo's environment plus what a container of this variant would be given. */
  private Map<String, String> workerEnvironment(Variant variant, List<RuntimeName> declared) {
    Map<String, String> workerEnv = new HashMap<>(environment);
    workerEnv.put(Environment.WORKER_RUNTIMES, declared.stream().map(RuntimeName::value)
        .collect(Collectors.joining(",")));
    workerEnv.put(Environment.WORKER_MAX_CONCURRENT_EXECUTIONS, Integer.toString(variant.slots()));
    workerEnv.put(Environment.WORKER_LABELS, variant.labels());
    return workerEnv;
  }

  /** A probe that asks the machine once and answers every later question from that. */
  private static RuntimeProbe probedOnce(AttuneConfig config) {
    RuntimeProbe real = LocalMachine.probe(config);
    ProbeReport all = real.probe(KnownRuntime.PROBED);
    return runtimes -> new ProbeReport(all.interpreters().stream()
        .filter(i -> runtimes.stream().anyMatch(k -> k.name().equals(i.runtime()))).toList(),
        all.warnings().stream().filter(w -> runtimes.stream().anyMatch(k -> k.binaries().stream()
            .anyMatch(b -> w.startsWith(b + ":")))).toList());
  }
}
