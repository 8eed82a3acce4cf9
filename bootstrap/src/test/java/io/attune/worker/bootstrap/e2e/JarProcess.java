package io.attune.worker.bootstrap.e2e;

import io.attune.worker.adapter.local.runner.ActionUser;
import io.attune.worker.adapter.local.runner.UserAccess;
import io.attune.worker.testsupport.services.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code java -jar attune-worker.jar ...} started as a user would, its output kept in target/e2e-logs. */
final class JarProcess {

  /** The jar under test; {@code -Dattune.e2e.jar=PATH} runs the same tests against another build (an older one). */
  static final Path JAR = Path.of(System.getProperty("attune.e2e.jar", "target/attune-worker.jar"));
  static final Path LOGS = Path.of("target/e2e-logs");

  private final String name;
  private final Process process;

  private JarProcess(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /** The JVM options every process gets: the attach mechanism off, as in the images (issue 22, row 8). */
  static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1",
      "-XX:+DisableAttachMechanism");

  static JarProcess start(String name, Map<String, String> environment, String... args) {
    return start(name, environment, List.of(), JVM_OPTIONS, args);
  }

  /**
   * @param prefix what runs the JVM, e.g. {@code setpriv --reuid=nobody ...}; empty for the test's own user
   * @param jvmOptions the JVM's options
   */
  static JarProcess start(String name, Map<String, String> environment, List<String> prefix, List<String> jvmOptions,
      String... args) {
    return start(name, environment, prefix, jvmOptions, JAR, args);
  }

  /** @param jar the jar to run (a copy another user can read, say) */
  static JarProcess start(String name, Map<String, String> environment, List<String> prefix, List<String> jvmOptions,
      Path jar, String... args) {
    if (!Files.exists(jar)) {
      throw new AssertionError(jar.toAbsolutePath() + " is missing: the package phase builds it before the ITs");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(prefix);
    command.add(java);
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    try {
      Files.createDirectories(LOGS);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(LOGS.resolve(name + ".log").toFile());
      builder.environment().clear();
      builder.environment().putAll(environment);
      return new JarProcess(name, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The environment every process gets: PATH, HOME, LANG of the test, plus the given values. */
  static Map<String, String> baseEnvironment(TestServices services, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    for (String keep : List.of("PATH", "HOME", "LANG", "JAVA_HOME")) {
      if (System.getenv(keep) != null) {
        env.put(keep, System.getenv(keep));
      }
    }
    env.put("ATTUNE_DATABASE_URL", services.databaseUrl());
    env.put("ATTUNE_DATABASE_USER", services.databaseUser());
    env.put("ATTUNE_DATABASE_PASSWORD", services.databasePassword());
    env.put("ATTUNE_MQ_URL", services.mqUrl());
    env.put("ATTUNE_PACKS_DIR", Path.of("src/test/resources/e2e-packs").toAbsolutePath().toString());
    env.put("ATTUNE_HEARTBEAT_INTERVAL_SECONDS", "1");
    if (!checkoutReadableByActions()) {
      // a checkout below a folder only root may enter (/root, say): a root worker's actions, run as nobody by
      // default, could not read the packs kept in it, and every worker would refuse to start saying so
      env.put("ATTUNE_ACTION_USER", "root");
    }
    env.put("ATTUNE_PROBE_TIMEOUT_SECONDS", "30");
    env.putAll(extra);
    return env;
  }

  /**
   * Whether the user a root worker runs its actions as by default can read this checkout's test packs; true when
   * the tests do not run as root (then actions run as the tests' own user).
   */
  static boolean checkoutReadableByActions() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return true;
    }
    return UserAccess.of(ActionUser.UNPRIVILEGED).map(nobody -> nobody.canReadFolder(
        Path.of("src/test/resources/e2e-packs").toAbsolutePath())).orElse(true);
  }

  String name() {
    return name;
  }

  /** The operating system's process id, e.g. for {@code kill -HUP}. */
  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, as an orchestrator stops a container. */
  void terminate() {
    process.destroy();
  }

  /** SIGKILL: no chance to clean up. */
  void kill() {
    process.destroyForcibly();
  }

  /** SIGTERM to every process at once, then waits for each to exit: how a test stops the system it started. */
  static void stopAll(List<JarProcess> processes) throws InterruptedException {
    processes.forEach(JarProcess::terminate);
    for (JarProcess p : processes) {
      if (p.isAlive()) {
        p.awaitExit(60);
      }
    }
  }

  int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(name + " did not exit within " + seconds + " s; see " + LOGS.resolve(name + ".log"));
    }
    return process.exitValue();
  }

  String log() {
    try {
      return Files.readString(LOGS.resolve(name + ".log"));
    } catch (IOException e) {
      return "";
    }
  }
}
