package io.attune.worker.adapter.local.runner;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.testsupport.process.Scripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Pack {@code t} in a temporary folder of its own for each test, laid out so that an action running as
 * {@code nobody} (the default of a root worker) reaches it and can write its PID files in its actions folder; the
 * PIDs the actions write; and, after each test, no process left running and no folder left behind. Register it with
 * {@code @RegisterExtension final PackFixture pack = new PackFixture();}.
 */
final class PackFixture implements BeforeEachCallback, AfterEachCallback {

  /** Long enough for any test's action to be ended by the test, not by its timeout. */
  static final Duration LONG = Duration.ofSeconds(120);
  /** How long a test waits for processes to be gone; they normally go in a fraction of a second. */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  final Map<String, String> workerEnvironment = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "LANG", "C.UTF-8");
  /** The test's own folder, holding {@code packs/t/actions}; anything else a test needs goes here too. */
  Path root;
  Path packs;
  Path pack;
  Path actions;
  private final List<Long> seen = new ArrayList<>();

  @Override
  public void beforeEach(ExtensionContext test) throws IOException {
    root = Files.createTempDirectory("attune-pack-");
    packs = root.resolve("packs");
    pack = packs.resolve("t");
    actions = pack.resolve("actions");
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(actions);
    Files.setPosixFilePermissions(actions, PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  /** Kills what a failed test left running, so that one failure leaves no processes for the next tests. */
  @Override
  public void afterEach(ExtensionContext test) throws IOException {
    seen.stream().filter(Scripts::running).forEach(pid -> ProcessHandle.of(pid)
        .ifPresent(ProcessHandle::destroyForcibly));
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  /**
   * Skips a test of what only the action launcher does, on a build that carries none (gcc was missing): such a
   * build still has to pass its tests.
   */
  static void assumeALauncher() {
    ActionLauncher.Lookup lookup = ActionLauncher.find(Map.of());
    assumeTrue(lookup.launcher().isPresent(), () -> "this build has no action launcher: " + lookup.warning()
        .orElse(""));
  }

  /** The runner's settings for this pack, with the defaults a worker has. */
  RunnerSettings settings() {
    return RunnerSettings.of(packs, Map.of(), workerEnvironment);
  }

  /** A shell action of pack {@code t} whose entry point is {@code <name>.sh}, written with this body. */
  ActionDefinition shellAction(String name, String body, Duration timeout) {
    Scripts.write(actions, name + ".sh", "# run by the shell interpreter\n" + body + "\n");
    return action(name, name + ".sh", timeout);
  }

  static ActionDefinition action(String name, String entryPoint, Duration timeout) {
    return new ActionDefinition(ActionRequirements.of("t." + name, RuntimeName.SHELL), entryPoint, timeout,
        Map.of());
  }

  /**
   * The PIDs written to these files of the actions folder, waiting for each file to appear (generously: the action
   * may be started by a JVM that is starting up on a busy machine).
   */
  List<Long> pids(String... files) {
    List<Long> pids = new ArrayList<>();
    for (String name : files) {
      long pid = awaitPid(actions.resolve(name));
      pids.add(pid);
      seen.add(pid);
    }
    return pids;
  }

  /** The PID written to this file, once it is there. */
  static long awaitPid(Path file) {
    return await("a PID in " + file).atMost(PATIENCE).until(() -> pidIn(file), Optional::isPresent).orElseThrow();
  }

  private static Optional<Long> pidIn(Path file) throws IOException {
    String text = Files.exists(file) ? Files.readString(file).strip() : "";
    return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
  }

  /** Waits until none of these processes runs any more (gone, or a zombie nobody has reaped yet). */
  static void awaitGone(List<Long> pids) {
    await("processes " + pids + " to end").atMost(PATIENCE).until(() -> pids.stream().noneMatch(Scripts::running));
  }
}
