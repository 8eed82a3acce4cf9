package io.attune.worker.adapter.local.runner;

import io.attune.worker.adapter.local.process.ProcessTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The action launcher {@code attune-launch} (adapter-local/src/main/c/attune-launch.c, compiled into this jar when the
 * build machine has gcc): where it is, the command line that runs an action through it, and how a tree it launched
 * is stopped. It owns the action's whole process tree: orphans are re-parented to it, and it kills whatever is left
 * when the action ends, when it is told to stop, and when the worker dies. The one in the jar is put on disk by
 * {@link LauncherExtraction}.
 */
final class ActionLauncher {

  /** A variable of the worker's environment naming a launcher binary to use instead of the one in the jar. */
  static final String OVERRIDE = "ATTUNE_ACTION_LAUNCHER";
  /** The launcher's exit status when something was still running after the grace period and had to be killed. */
  static final int KILLED_AFTER_GRACE = 137;

  private static final String VERSION = "attune-launch 1";
  private static final String MESSAGE_PREFIX = "attune-launch: ";
  /** The launcher's own failures, as documented in attune-launch.c; the same statuses as env(1) and nohup(1). */
  private static final Set<Integer> START_FAILURES = Set.of(125, 126, 127);
  /** The most the launcher accepts as a grace period (a day). */
  private static final long MAX_GRACE_MILLIS = 86_400_000L;
  /** Beyond the grace period, how long the launcher gets to kill and reap the tree before it is killed itself. */
  private static final Duration PATIENCE = Duration.ofSeconds(15);

  private static Lookup bundled; // guarded by ActionLauncher.class: extracted once per JVM

  private final Path binary;

  private ActionLauncher(Path binary) {
    this.binary = binary;
  }

  /**
   * A launcher found, or why there is none.
   *
   * @param launcher the launcher, when one is usable
   * @param warning what an operator should know: the override was not usable, or there is no launcher at all
   */
  record Lookup(Optional<ActionLauncher> launcher, Optional<String> warning) {
    Lookup {
      Objects.requireNonNull(launcher, "launcher");
      Objects.requireNonNull(warning, "warning");
    }

    static Lookup of(ActionLauncher launcher) {
      return new Lookup(Optional.of(launcher), Optional.empty());
    }

    static Lookup none(String why) {
      return new Lookup(Optional.empty(), Optional.of(why));
    }
  }

  /**
   * The launcher named by {@value #OVERRIDE} in the worker's environment, else the one in this jar, extracted once
   * into a directory under {@code java.io.tmpdir} that only this user can enter.
   */
  static Lookup find(Map<String, String> workerEnvironment) {
    String configured = workerEnvironment.get(OVERRIDE);
    if (configured == null || configured.isBlank()) {
      return bundled();
    }
    Path path = Path.of(configured.strip());
    Optional<String> problem = Files.isRegularFile(path) && Files.isExecutable(path) ? answersItsVersion(path)
        : Optional.of("not an executable file");
    if (problem.isEmpty()) {
      return Lookup.of(new ActionLauncher(path));
    }
    Lookup fallback = bundled();
    String unusable = OVERRIDE + "=" + configured + " is not usable (" + problem.get() + ")";
    return new Lookup(fallback.launcher(), Optional.of(fallback.launcher().isPresent()
        ? unusable + "; using the launcher in the jar instead" : unusable + "; " + fallback.warning().orElse("")));
  }

  /** The launcher at this path, unchecked: the caller has checked it (or is a test). */
  static ActionLauncher at(Path binary) {
    return new ActionLauncher(binary);
  }

  Path binary() {
    return binary;
  }

  /**
   * The command line that runs {@code command} through the launcher: in {@code directory}, as {@code user} when
   * one is given, watched by this JVM, with the grace period between SIGTERM and SIGKILL.
   */
  List<String> wrap(List<String> command, Duration grace, Optional<String> user, Path directory) {
    List<String> line = new ArrayList<>(List.of(binary.toString(),
        "--grace-ms", Long.toString(Math.min(grace.toMillis(), MAX_GRACE_MILLIS)),
        "--parent", Long.toString(ProcessHandle.current().pid()),
        "--chdir", directory.toString()));
    user.ifPresent(name -> line.addAll(List.of("--user", name)));
    line.add("--");
    line.addAll(command);
    return List.copyOf(line);
  }

  /**
   * Stops a tree this launcher started: SIGTERM to the launcher, which passes it on to the whole tree and kills what
   * is left after the grace period it was given.
   *
   * @return true when something had to be killed after the grace period
   * @throws InterruptedException when interrupted while waiting; the launcher has been told to kill at once first
   */
  static boolean terminate(Process launcher, Duration grace) throws InterruptedException {
    launcher.destroy();
    try {
      if (launcher.waitFor(grace.plus(PATIENCE).toNanos(), TimeUnit.NANOSECONDS)) {
        return launcher.exitValue() == KILLED_AFTER_GRACE;
      }
    } catch (InterruptedException interrupted) {
      launcher.destroy(); // a second SIGTERM ends the grace period at once
      if (!awaitUninterruptibly(launcher, PATIENCE)) {
        ProcessTree.kill(launcher);
      }
      throw interrupted;
    }
    // the launcher itself does not end: every process of the tree is its child or below, so Java sees them all
    ProcessTree.kill(launcher);
    return true;
  }

  /**
   * The launcher's own complaint when the action could not be started (an unknown user, a working directory the
   * user cannot enter, a program it cannot run), from the exit status and what came first on standard error.
   */
  static Optional<String> startFailure(int exitStatus, String stderr) {
    if (!START_FAILURES.contains(exitStatus) || !stderr.startsWith(MESSAGE_PREFIX)) {
      return Optional.empty();
    }
    return Optional.of(stderr.substring(MESSAGE_PREFIX.length()).lines().findFirst().orElse("").strip());
  }

  private static synchronized Lookup bundled() {
    if (bundled == null) {
      bundled = LauncherExtraction.extract();
    }
    return bundled;
  }


  /** Runs {@code --version}: a binary for another system, or a dynamic one missing its C library, fails here. */
  static Optional<String> answersItsVersion(Path binary) {
    try {
      Process check = startVersion(binary);
      check.getOutputStream().close();
      if (!check.waitFor(10, TimeUnit.SECONDS)) {
        check.destroyForcibly();
        return Optional.of("`" + binary + " --version` did not end");
      }
      // read after the end: the answer is one short line, which the pipe holds
      String answer = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return check.exitValue() == 0 && answer.equals(VERSION) ? Optional.empty()
          : Optional.of("`" + binary + " --version` answered '" + answer + "' with status " + check.exitValue()
              + ", expected '" + VERSION + "'");
    } catch (IOException cannotRun) {
      return Optional.of("it cannot be run: " + cannotRun.getMessage());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while checking it");
    }
  }

  /**
   * Starts {@code --version}, again after "text file busy": right after the binary was written, a process that
   * another thread was forking at the time may still hold the written file open for a moment.
   */
  private static Process startVersion(Path binary) throws IOException, InterruptedException {
    ProcessBuilder version = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true);
    for (int attempt = 1;; attempt++) {
      try {
        return version.start();
      } catch (IOException busy) {
        if (attempt == 5 || busy.getMessage() == null || !busy.getMessage().contains("Text file busy")) {
          throw busy;
        }
        Thread.sleep(50L * attempt);
      }
    }
  }

  private static boolean awaitUninterruptibly(Process process, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    boolean interrupted = false;
    try {
      while (process.isAlive()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          process.waitFor(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException again) {
          interrupted = true;
        }
      }
      return true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
