package io.attune.worker.bootstrap.wiring;

import io.attune.worker.adapter.cli.packs.PacksDirectoryCatalog;
import io.attune.worker.adapter.cli.probe.ProcessRuntimeProbe;
import io.attune.worker.adapter.cli.runner.ProcessActionRunner;
import io.attune.worker.adapter.cli.runner.RunnerSettings;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.core.model.capability.ResolvedCapabilities;
import io.attune.worker.core.model.runtime.KnownRuntime;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.port.in.ResolveCapabilitiesUseCase;
import io.attune.worker.core.port.out.ActionCatalog;
import io.attune.worker.core.port.out.ActionRunner;
import io.attune.worker.core.port.out.CapabilityConfiguration;
import io.attune.worker.core.port.out.Environment;
import io.attune.worker.core.port.out.RuntimeProbe;
import io.attune.worker.core.service.ResolveCapabilitiesService;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Wires the adapters of the local machine: the runtime probe, the pack catalog and the action runner. */
public final class LocalMachine {

  private LocalMachine() {
  }

  /** Resolves this worker's capabilities from the given environment, the configuration and the machine. */
  public static ResolvedCapabilities resolveCapabilities(AttuneConfig config, Map<String, String> environment) {
    return capabilityResolution(config, environment).resolve();
  }

  /** The resolution of {@link #resolveCapabilities}, to run again when the worker re-probes. */
  public static ResolveCapabilitiesUseCase capabilityResolution(AttuneConfig config,
      Map<String, String> environment) {
    CapabilityConfiguration declared = config::capabilities;
    return new ResolveCapabilitiesService(Environment.of(environment), declared, probe(config));
  }

  /**
   * The runtime probe on the PATH of the configuration's environment, with its probe timeout. The JVM running this
   * worker is never offered as the {@code java} runtime: it is there to run the worker (in the images, a trimmed
   * runtime that cannot compile an action); another Java on the PATH, or a declaration, offers {@code java}.
   */
  public static RuntimeProbe probe(AttuneConfig config) {
    return new ProcessRuntimeProbe(config.environment(), config.probeTimeout(),
        List.of(ProcessRuntimeProbe.ownJavaRuntime()));
  }

  public static ActionCatalog catalog(AttuneConfig config) {
    return PacksDirectoryCatalog.load(config.packsDirectory());
  }

  /**
   * A runner with the interpreters found by the probe, and custom ones from the configuration. A declared runtime
   * whose probe did not answer in time (a slow shim on a busy machine) keeps its first binary name, looked up on the
   * child's PATH when an action runs: the declaration is what the worker promised.
   */
  public static ActionRunner runner(AttuneConfig config, ResolvedCapabilities resolved,
      Map<String, String> environment) {
    Map<RuntimeName, Path> interpreters = new HashMap<>();
    for (RuntimeName declared : resolved.capabilities().runtimes()) {
      KnownRuntime.forName(declared).ifPresent(k -> interpreters.put(declared, Path.of(k.binaries().get(0))));
    }
    interpreters.putAll(RunnerSettings.interpretersOf(resolved.interpreters()));
    interpreters.putAll(config.interpreters());
    return new ProcessActionRunner(new RunnerSettings(config.packsDirectory(), interpreters, config.outputCapBytes(),
        environment));
  }
}
