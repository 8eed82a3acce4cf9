package io.attune.worker.adapter.cli.runner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The action launcher {@code attune-launch} (adapter-cli/src/main/c/attune-launch.c, compiled into this jar when the
 * build machine has gcc): where it is, the command line that runs an action through it, and how a tree it launched
 * is stopped. It owns the action's whole process tree: orphans are re-parented to it, and it kills whatever is left
 * when the action ends, when it is told to stop, and when the worker dies.
 */
final class ActionLauncher {

  /** A variable of the worker's environment naming a launcher binary to use instead of the one in the jar. */
  static final String OVERRIDE = "ATTUNE_ACTION_LAUNCHER";
  /** The launcher's exit status when something was still running after the grace period and had to be killed. */
  static final int KILLED_AFTER_GRACE = 137;

  private static final String RESOURCE = "linux-" + System.getProperty("os.arch") + "/attune-launch";
  private static final String VERSION = "attune-launch 1";
  private static final String MESSAGE_PREFIX = "attune-launch: ";
  /** The launcher's own failures, as documented in attune-launch.c; the same statuses as env(1) and nohup(1). */
  private static final Set<Integer> START_FAILURES = Set.of(125, 126, 127);
  /** The most the launcher accepts as a grace period (a day). */
  private static final long MAX_GRACE_MILLIS = 86_400_000L;
  /** Beyond the grace period, how long the launcher gets to kill and reap the tree before it is killed itself. */
  private static final Duration PATIENCE = Duration.ofSeconds(15);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
  /** The extracted launcher's folder: {@code attune-launch-<pid of the JVM>-<random>}. */
  private static final String FOLDER_PREFIX = "attune-launch-";
  private static final Pattern FOLDER = Pattern.compile(Pattern.quote(FOLDER_PREFIX) + "(\\d+)-\\d+");

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

  /** The launcher at this path, unchecked: for tests. */
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
      bundled = extract();
    }
    return bundled;
  }

  private static Lookup extract() {
    String system = System.getProperty("os.name", "?");
    if (!system.equals("Linux")) {
      return Lookup.none("no action launcher on " + system + ": it is built for Linux only");
    }
    byte[] content;
    try (InputStream resource = ActionLauncher.class.getResourceAsStream(RESOURCE)) {
      if (resource == null) {
        return Lookup.none("this build of the worker carries no action launcher for " + RESOURCE.replace(
            "/attune-launch", "") + " (it is compiled from adapter-cli/src/main/c when the build machine has gcc)");
      }
      content = resource.readAllBytes();
    } catch (IOException unreadable) {
      return Lookup.none("the action launcher in the jar cannot be read: " + unreadable.getMessage());
    }
    Path directory = null;
    try {
      Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
      long self = ProcessHandle.current().pid();
      removeLeftOvers(temporary, self);
      directory = Files.createTempDirectory(temporary, FOLDER_PREFIX + self + "-",
          PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      directory.toFile().deleteOnExit();
      Path binary = Files.createFile(directory.resolve("attune-launch"),
          PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      binary.toFile().deleteOnExit();
      Files.write(binary, content);
      Files.setPosixFilePermissions(binary, OWNER_ONLY);
      Optional<String> problem = unchanged(directory, binary, content).or(() -> answersItsVersion(binary));
      return problem.isEmpty() ? Lookup.of(new ActionLauncher(binary))
          : Lookup.none("the action launcher extracted to " + binary + " is not usable: " + problem.get());
    } catch (IOException | UnsupportedOperationException cannotWrite) {
      return Lookup.none("the action launcher cannot be extracted into " + (directory == null
          ? System.getProperty("java.io.tmpdir") : directory) + ": " + cannotWrite);
    }
  }

  /**
   * Removes the folders of launchers that JVMs of this user extracted and did not remove, because they were killed
   * (SIGKILL, out of memory): a worker that is killed and restarted again and again must not fill the temporary
   * folder. A folder whose JVM still runs stays; one named after this JVM's own PID is a former process's (in a
   * container, a restarted worker often gets the PID its predecessor had). Only this user's folders are touched,
   * and in them only the launcher; anything unexpected stays.
   */
  static void removeLeftOvers(Path temporary, long self) {
    UserPrincipal user;
    List<Path> candidates = new ArrayList<>();
    try {
      user = currentUser(temporary);
      try (DirectoryStream<Path> folders = Files.newDirectoryStream(temporary, FOLDER_PREFIX + "*")) {
        folders.forEach(candidates::add);
      }
    } catch (IOException | RuntimeException notNow) {
      return; // the next start tries again
    }
    for (Path folder : candidates) {
      Matcher named = FOLDER.matcher(folder.getFileName().toString());
      try {
        if (!named.matches() || !abandoned(Long.parseLong(named.group(1)), self)) {
          continue;
        }
        PosixFileAttributes attributes = Files.readAttributes(folder, PosixFileAttributes.class,
            LinkOption.NOFOLLOW_LINKS);
        if (attributes.isDirectory() && attributes.owner().equals(user)) {
          Files.deleteIfExists(folder.resolve("attune-launch"));
          Files.delete(folder);
        }
      } catch (IOException | RuntimeException notOurs) {
        // in use, holding something else, or not a folder: it stays
      }
    }
  }

  private static boolean abandoned(long pid, long self) {
    return pid == self || ProcessHandle.of(pid).isEmpty();
  }

  /** This process's user as the file system names owners: the owner of a file it has just created. */
  private static UserPrincipal currentUser(Path temporary) throws IOException {
    Path probe = Files.createTempFile(temporary, FOLDER_PREFIX + "owner-", "");
    try {
      return Files.getOwner(probe);
    } finally {
      Files.delete(probe);
    }
  }

  /** Checked after writing: what runs as the worker's user must be what the jar holds, and only that user's. */
  private static Optional<String> unchanged(Path directory, Path binary, byte[] content) throws IOException {
    PosixFileAttributes folder = Files.readAttributes(directory, PosixFileAttributes.class,
        LinkOption.NOFOLLOW_LINKS);
    PosixFileAttributes file = Files.readAttributes(binary, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!folder.isDirectory() || !folder.permissions().equals(OWNER_ONLY)) {
      return Optional.of("its folder is not private (" + PosixFilePermissions.toString(folder.permissions()) + ")");
    }
    if (!file.isRegularFile() || !file.permissions().equals(OWNER_ONLY) || !file.owner().equals(folder.owner())) {
      return Optional.of("it is not a private regular file");
    }
    if (!Arrays.equals(Files.readAllBytes(binary), content)) {
      return Optional.of("its content differs from the jar's");
    }
    return Optional.empty();
  }

  /** Runs {@code --version}: a binary for another system, or a dynamic one missing its C library, fails here. */
  private static Optional<String> answersItsVersion(Path binary) {
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
