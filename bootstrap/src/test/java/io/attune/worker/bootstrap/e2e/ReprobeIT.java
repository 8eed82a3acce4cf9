package io.attune.worker.bootstrap.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.bootstrap.cli.CliRun;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.testsupport.services.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Capabilities that follow the machine, end to end: a worker process with auto-detected runtimes, a {@code PATH}
 * holding only scripted binaries that the test adds and removes, a scheduler process, real PostgreSQL and RabbitMQ.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReprobeIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private final String name = "reprobe-" + id;
  private final List<JarProcess> processes = new ArrayList<>();
  private TestServices services;
  private PostgresAdapter db;
  private Path bin;
  private Path packs;
  private Path release;
  private Path started;

  @BeforeAll
  void startTheSystem() throws Exception {
    services = TestServices.require();
    Path dir = Files.createDirectories(Path.of("target", "reprobe-it-" + id).toAbsolutePath());
    // the action, run as nobody under a root worker, marks its start here
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    bin = Files.createDirectories(dir.resolve("bin"));
    release = dir.resolve("release");
    started = dir.resolve("started");
    packs = dir.resolve("packs");
    // an action only this test's worker may take (its selector), run by whatever `node` the worker found
    Path actions = Files.createDirectories(packs.resolve("reprobe").resolve("actions"));
    Files.writeString(actions.resolve("hold.js"), "// the scripted node below ignores its script\n");
    Files.writeString(actions.resolve("hold.yaml"), "runtime: node\nentry_point: hold.js\ntimeout_seconds: 120\n"
        + "placement: {selector: {reprobe: \"" + id + "\"}}\n");
    script("node", "#!/bin/sh\n"
        + "if [ \"$1\" = \"--version\" ]; then echo v20.1.0; exit 0; fi\n"
        + "/bin/cat > /dev/null\n"
        + ": > " + started + "\n"
        + "while [ ! -f " + release + " ]; do /bin/sleep 0.1; done\n"
        + "echo '{\"released\": true}'\n");

    assertThat(cli("migrate")).contains("schema version");
    db = PostgresAdapter.connect(PostgresSettings.of(services.databaseUrl(), services.databaseUser(),
        services.databasePassword()));
    processes.add(JarProcess.start("reprobe-scheduler-" + id, env(Map.of()), "scheduler"));
  }

  @AfterAll
  void stopTheSystem() throws InterruptedException {
    JarProcess.stopAll(processes);
    if (db != null) {
      db.close();
    }
  }

  @Test
  void runtimes_that_disappear_and_appear_on_the_path_follow_into_the_registration_and_running_work_finishes()
      throws Exception {
    JarProcess worker = JarProcess.start(name, env(Map.of("ATTUNE_WORKER_NAME", name, "PATH", bin.toString(),
        "ATTUNE_REPROBE_SECONDS", "1", "ATTUNE_WORKER_LABELS", "reprobe=" + id)), "run");
    processes.add(worker);
    await().atMost(PATIENCE).until(() -> registered().isPresent());
    Map<String, Object> first = registered().orElseThrow();
    assertThat((List<Object>) first.get("runtimes")).contains("node", "shell", "native").doesNotContain("ruby");
    assertThat(((Map<String, Object>) first.get("runtime_versions")).get("node")).isEqualTo(List.of("20.1.0"));

    // an execution that holds node until the test releases it
    ExecutionId held = submit();
    // the execution counts as running before its process has read the script: wait for the script itself
    await().atMost(PATIENCE).until(() -> Files.exists(started));
    assertThat(execution(held).status()).isEqualTo(ExecutionStatus.RUNNING);

    Files.delete(bin.resolve("node"));
    await().atMost(PATIENCE).until(() -> !((List<Object>) registered().orElseThrow().get("runtimes")).contains("node"));
    Map<String, Object> withoutNode = registered().orElseThrow();
    assertThat(((Map<String, Object>) withoutNode.get("runtime_versions"))).doesNotContainKey("node");
    assertThat(withoutNode.get("running")).as("the execution it still runs").isEqualTo(1);
    assertThat(withoutNode.get("status")).isEqualTo("active");
    assertThat(worker.log()).contains("went away: node 20.1.0");

    // work for the runtime that went away is no longer placed here; the running one is not disturbed
    ExecutionId refused = submit();
    await().atMost(PATIENCE).until(() -> execution(refused).status().isTerminal());
    assertThat(execution(refused).status()).isEqualTo(ExecutionStatus.UNSCHEDULABLE);
    assertThat(execution(held).status()).isEqualTo(ExecutionStatus.RUNNING);
    Files.writeString(release, "go");
    await().atMost(PATIENCE).until(() -> execution(held).status().isTerminal());
    assertThat(execution(held).status()).as("%s", execution(held).result()).isEqualTo(ExecutionStatus.SUCCEEDED);
    await().atMost(PATIENCE).until(() -> registered().orElseThrow().get("running").equals(0));

    script("ruby", "#!/bin/sh\necho 'ruby 3.2.2p53 (2023-03-30 revision e51014f9c0) [x86_64-linux]'\n");
    await().atMost(PATIENCE).until(() -> ((List<Object>) registered().orElseThrow().get("runtimes")).contains("ruby"));
    assertThat(((Map<String, Object>) registered().orElseThrow().get("runtime_versions")).get("ruby"))
        .isEqualTo(List.of("3.2.2"));
    assertThat(worker.log()).contains("appeared: ruby 3.2.2");

    // SIGHUP re-probes at once and no longer stops the JVM
    new ProcessBuilder("kill", "-HUP", Long.toString(worker.pid())).inheritIO().start().waitFor();
    await().atMost(PATIENCE).until(() -> worker.log().contains("re-probed (SIGHUP)"));
    assertThat(worker.isAlive()).isTrue();
    assertThat(registered().orElseThrow().get("status")).isEqualTo("active");

    worker.terminate();
    assertThat(worker.awaitExit(60)).isZero();
  }

  private void script(String binary, String content) throws IOException {
    Path file = bin.resolve(binary + ".tmp");
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    // appears whole: a probe never runs a half-written script
    Files.move(file, bin.resolve(binary), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** This test's worker as {@code workers --json} shows it. */
  private Optional<Map<String, Object>> registered() throws IOException {
    List<Map<String, Object>> workers = JSON.readValue(cli("workers", "--json"), new TypeReference<>() { });
    return workers.stream().filter(w -> name.equals(w.get("name"))).findFirst();
  }

  private ExecutionId submit() throws IOException {
    Map<String, Object> tree = JSON.readValue(cli("submit", "reprobe.hold", "--json"), Map.class);
    return new ExecutionId(((Number) tree.get("execution_id")).longValue());
  }

  private Execution execution(ExecutionId execution) {
    return db.executions().find(execution).orElseThrow();
  }

  private Map<String, String> env(Map<String, String> extra) {
    Map<String, String> env = new java.util.HashMap<>(Map.of("ATTUNE_PACKS_DIR", packs.toString()));
    env.putAll(extra);
    return JarProcess.baseEnvironment(services, env);
  }

  /** What a command prints on standard output; it must succeed. */
  private String cli(String... args) {
    CliRun run = CliRun.of(env(Map.of()), args);
    if (run.status() != 0) {
      throw new AssertionError(String.join(" ", args) + " exited " + run.status() + ": " + run.err());
    }
    return run.out();
  }
}
