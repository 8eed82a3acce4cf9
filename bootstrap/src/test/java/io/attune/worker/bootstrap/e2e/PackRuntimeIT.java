package io.attune.worker.bootstrap.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.bootstrap.cli.CliRun;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.testsupport.services.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runtime defined by a pack, on real PostgreSQL and RabbitMQ with {@code java -jar} processes: a worker that
 * auto-detects finds the interpreter a sample pack's {@code pack.yaml} names (a scripted {@code ml-python} on a
 * temporary PATH), advertises {@code ml} with its version, and runs one of the pack's actions with it; a broken
 * action file beside it is logged and skipped while the worker starts, and submitting it is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackRuntimeIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WORKER = "pack-ml-worker";

  @TempDir
  static Path root;

  private TestServices services;
  private PostgresAdapter db;
  private Path packs;
  private final List<JarProcess> processes = new ArrayList<>();

  @BeforeAll
  void startASchedulerAndAWorkerWithAnMlPack() throws IOException {
    services = TestServices.require();
    // readable by the user a root worker runs its actions as, who also runs the pack's interpreter
    Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Path bin = Files.createDirectories(root.resolve("bin"));
    // answers its version flag; runs the entry point with /bin/sh only when the pack's argument came first
    executable(bin.resolve("ml-python"), String.join("\n", "#!/bin/sh",
        "if [ \"$1\" = --ml-version ]; then echo 'ml-python 1.4.2'; exit 0; fi",
        "if [ \"$1\" != -u ]; then echo \"expected -u first, got $1\" >&2; exit 9; fi",
        "shift",
        "exec /bin/sh \"$@\"", ""));
    packs = Files.createDirectories(root.resolve("packs"));
    Path actions = Files.createDirectories(packs.resolve("ml/actions"));
    Files.writeString(packs.resolve("ml/pack.yaml"), String.join("\n",
        "description: machine learning with a runtime of its own",
        "runtimes:",
        "  ml:",
        "    command: ml-python",
        "    args: [-u]",
        "    version_args: [--ml-version]", ""));
    Files.writeString(actions.resolve("train.yaml"), "runtime: ml\nentry_point: train.sh\n"
        + "parameters:\n  epochs: {type: integer, required: true}\n");
    Files.writeString(actions.resolve("train.sh"),
        "read params\necho \"training with $0\" >&2\necho \"{\\\"trained\\\": $params}\"\n");
    Files.writeString(actions.resolve("broken.yaml"), "runtime: ml\nentry_point: train.sh\nplacement: [oops]\n");

    assertThat(cli("migrate").out()).contains("schema version");
    db = PostgresAdapter.connect(PostgresSettings.of(services.databaseUrl(), services.databaseUser(),
        services.databasePassword()));
    processes.add(JarProcess.start("pack-ml-scheduler", env(Map.of()), "scheduler"));
    processes.add(JarProcess.start(WORKER, env(Map.of("ATTUNE_WORKER_NAME", WORKER,
        "PATH", bin + ":" + System.getenv("PATH"))), "run"));
    await().atMost(Duration.ofSeconds(120))
        .until(() -> db.directory().byName(WORKER).map(Worker::isActive).orElse(false));
  }

  @AfterAll
  void stop() throws InterruptedException {
    JarProcess.stopAll(processes);
    if (db != null) {
      db.close();
    }
  }

  @Test
  void the_worker_advertises_the_pack_runtime_with_its_version_and_runs_its_action_with_the_pack_s_interpreter()
      throws IOException {
    Worker worker = db.directory().byName(WORKER).orElseThrow();
    assertThat(worker.capabilities().runtimes()).contains(new RuntimeName("ml"), RuntimeName.SHELL);
    assertThat(worker.capabilities().versionsOf(new RuntimeName("ml"))).containsExactly(new Version(1, 4, 2));

    CliRun run = cli("submit", "ml.train", "--param", "epochs=3", "--wait", "--json", "--timeout", "120");

    assertThat(run.status()).as(run.err()).isZero();
    Map<?, ?> tree = JSON.readValue(run.out(), Map.class);
    assertThat(tree.get("status")).isEqualTo("succeeded");
    assertThat(tree.get("worker")).isEqualTo(WORKER);
    assertThat(tree.get("result")).isEqualTo(Map.of("trained", Map.of("epochs", 3)));
    assertThat((String) tree.get("stderr")).contains("training with " + packs.resolve("ml/actions/train.sh"));
  }

  @Test
  void the_broken_action_file_is_logged_by_the_worker_and_submitting_it_exits_2_naming_file_and_line() {
    JarProcess worker = processes.stream().filter(p -> p.name().equals(WORKER)).findFirst().orElseThrow();
    String file = packs.resolve("ml/actions/broken.yaml").toString();

    CliRun run = cli("submit", "ml.broken", "--wait", "--json");

    assertThat(worker.log()).contains(file + ": placement = [oops] (line 3): expected an object (skipped action "
        + "ml.broken)");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains(file + ": placement = [oops] (line 3): expected an object (action ml.broken is "
        + "skipped until this is fixed)");
  }

  private Map<String, String> env(Map<String, String> extra) {
    Map<String, String> env = new java.util.HashMap<>(Map.of("ATTUNE_PACKS_DIR", packs.toString()));
    env.putAll(extra);
    return JarProcess.baseEnvironment(services, env);
  }

  private CliRun cli(String... args) {
    return CliRun.of(env(Map.of()), args);
  }

  private static void executable(Path file, String content) throws IOException {
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

}
