package io.attune.worker.bootstrap.wiring;

import io.attune.worker.adapter.local.packs.PackRuntime;
import io.attune.worker.adapter.local.packs.PacksDirectoryCatalog;
import io.attune.worker.adapter.local.probe.ProcessRuntimeProbe;
import io.attune.worker.adapter.local.runner.ActionUser;
import io.attune.worker.adapter.local.runner.ProcessActionRunner;
import io.attune.worker.adapter.local.runner.RunnerSettings;
import io.attune.worker.adapter.local.runner.UserAccess;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.config.Settings;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.capability.ResolvedCapabilities;
import io.attune.worker.core.model.runtime.KnownRuntime;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.port.in.ResolveCapabilitiesUseCase;
import io.attune.worker.core.port.out.ActionRunner;
import io.attune.worker.core.port.out.CapabilityConfiguration;
import io.attune.worker.core.port.out.Environment;
import io.attune.worker.core.port.out.RuntimeProbe;
import io.attune.worker.core.service.ResolveCapabilitiesService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the adapters of the local machine: the runtime probe, the pack catalog and the action runner. */
public final class LocalMachine {

  private static final Logger LOG = LoggerFactory.getLogger(LocalMachine.class);

  /**
   * The user actions run as: a user name or {@code UID:GID}; unset means {@code nobody} when the worker runs as root
   * and the worker's own user otherwise ({@code root} runs them as root, with a warning).
   */
  public static final String ACTION_USER = Settings.ACTION_USER.variableName();

  /** What the runners built so far have said: a runner is built again on every re-probe, its warnings once. */
  private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

  private LocalMachine() {
  }

  /**
   * Resolves this worker's capabilities; the runtimes the packs define are probed like the built-in ones, with the
   * configuration's {@code worker.interpreters} winning over a pack's command.
   */
  public static ResolvedCapabilities resolveCapabilities(AttuneConfig config, Map<String, String> environment,
      List<PackRuntime> packRuntimes) {
    return capabilityResolution(config, environment, packRuntimes).resolve();
  }

  /** The resolution of {@link #resolveCapabilities}, to run again when the worker re-probes. */
  public static ResolveCapabilitiesUseCase capabilityResolution(AttuneConfig config,
      Map<String, String> environment, List<PackRuntime> packRuntimes) {
    CapabilityConfiguration declared = config::capabilities;
    List<KnownRuntime> defined = effective(config, packRuntimes).stream().map(PackRuntime::probeRecipe).toList();
    return new ResolveCapabilitiesService(Environment.of(environment), declared, probe(config), defined);
  }

  /**
   * The runtime probe on the PATH of the configuration's environment, with its probe timeout. The JVM running this
   * worker is never offered as the {@code java} runtime: it is there to run the worker (in the images, a trimmed
   * runtime that cannot compile an action); another Java on the PATH, or a declaration, offers {@code java}.
   */
  public static RuntimeProbe probe(AttuneConfig config) {
    List<Path> reserved = List.of(ProcessRuntimeProbe.ownJavaRuntime());
    Optional<String> actionsRunAs = actionUser(config.environment()).switchedToByThisWorker();
    if (actionsRunAs.isEmpty()) {
      return new ProcessRuntimeProbe(config.environment(), config.probeTimeout(), reserved);
    }
    // actions run as another user: offer only interpreters that user can run, looking past the worker's own ones
    Optional<UserAccess> access = UserAccess.of(actionsRunAs.get());
    return new ProcessRuntimeProbe(config.environment(), config.probeTimeout(), reserved,
        path -> access.map(user -> user.canExecute(path)).orElse(true), "user " + actionsRunAs.get());
  }

  /**
   * The packs folder, read once: its actions, the runtimes its packs define, and every file skipped because it is
   * wrong, each logged as a warning naming the file, the key with its line and what was expected.
   *
   * @throws io.attune.worker.core.error.ConfigurationException when the folder itself is missing
   */
  public static PacksDirectoryCatalog catalog(AttuneConfig config) {
    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(config.packsDirectory());
    catalog.problems().forEach(problem -> LOG.warn("packs: {}", problem.message()));
    return catalog;
  }

  /** The packs folder read without logging, when it exists: for commands that report its problems themselves. */
  public static Optional<PacksDirectoryCatalog> packsIfPresent(AttuneConfig config) {
    return Files.isDirectory(config.packsDirectory()) ? Optional.of(PacksDirectoryCatalog.load(
        config.packsDirectory())) : Optional.empty();
  }

  /**
   * The pack runtimes as this worker uses them: a runtime that the configuration's {@code worker.interpreters} names
   * runs that interpreter, without the pack's {@code args}; the pack's {@code version_args} still probe it.
   */
  public static List<PackRuntime> effective(AttuneConfig config, List<PackRuntime> packRuntimes) {
    return packRuntimes.stream().map(runtime -> {
      Path configured = config.interpreters().get(runtime.name());
      return configured == null ? runtime : runtime.withInterpreter(configured.toString());
    }).toList();
  }

  /** A runner with the interpreters found by the probe and custom ones from the configuration; no pack runtimes. */
  public static ActionRunner runner(AttuneConfig config, ResolvedCapabilities resolved,
      Map<String, String> environment) {
    return runner(config, resolved, environment, List.of());
  }

  /**
   * A runner with the interpreters found by the probe, the runtimes the packs define, and custom ones from the
   * configuration, which win. A declared runtime whose probe did not answer in time (a slow shim on a busy machine)
   * keeps its first binary name (a pack runtime its command), looked up on the child's PATH when an action runs:
   * the declaration is what the worker promised.
   */
  public static ActionRunner runner(AttuneConfig config, ResolvedCapabilities resolved,
      Map<String, String> environment, List<PackRuntime> packRuntimes) {
    Map<RuntimeName, Path> interpreters = new HashMap<>();
    Map<RuntimeName, List<String>> arguments = new HashMap<>();
    for (RuntimeName declared : resolved.capabilities().runtimes()) {
      KnownRuntime.forName(declared).ifPresent(k -> interpreters.put(declared, Path.of(k.binaries().get(0))));
    }
    for (PackRuntime runtime : effective(config, packRuntimes)) {
      if (resolved.capabilities().offers(runtime.name())) {
        interpreters.put(runtime.name(), Path.of(runtime.command()));
        arguments.put(runtime.name(), runtime.args());
      }
    }
    interpreters.putAll(RunnerSettings.interpretersOf(resolved.interpreters()));
    interpreters.putAll(config.interpreters());
    ProcessActionRunner runner = new ProcessActionRunner(new RunnerSettings(config.packsDirectory(), interpreters,
        config.outputCapBytes(), environment, arguments, actionUser(environment)));
    runner.warnings().stream().filter(SAID::add).forEach(warning -> LOG.warn("actions: {}", warning));
    runner.actionUser().ifPresent(user -> requireReadable(config.packsDirectory(), user));
    String runsAs = runner.actionUser().map(user -> "as user " + user).orElse("as the worker's own user");
    String how = (runner.launcherInUse() ? "under attune-launch, " : "without a launcher, ") + runsAs;
    if (SAID.add(how)) {
      LOG.info("actions run {}", how);
    }
    return runner;
  }

  /**
   * The actions run as another user: the packs must be readable by that user, or every action would fail. Said at
   * once, naming the folder, the user and the ways out.
   */
  private static void requireReadable(Path packs, String user) {
    boolean readable = UserAccess.of(user).map(access -> access.canReadFolder(packs)).orElse(true);
    if (!readable && Files.isDirectory(packs)) {
      throw new ConfigurationException("packs folder", packs.toAbsolutePath().toString(), "a folder that user "
          + user + ", who runs the actions (" + ACTION_USER + "), can read: give others read and search permission "
          + "on it and search permission on the folders above it (chmod o+rx), or name another user in "
          + ACTION_USER);
    }
  }

  /** {@code ATTUNE_ACTION_USER} from the environment. */
  static ActionUser actionUser(Map<String, String> environment) {
    String value = environment.get(ACTION_USER);
    try {
      return ActionUser.fromSetting(value);
    } catch (IllegalArgumentException notAUser) {
      throw new ConfigurationException("environment", ACTION_USER + "='" + value + "'",
          "a user name (such as nobody) or UID:GID");
    }
  }
}
