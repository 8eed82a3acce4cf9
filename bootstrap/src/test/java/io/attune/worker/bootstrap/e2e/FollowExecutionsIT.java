package io.attune.worker.bootstrap.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.bootstrap.cli.CliRun;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.testsupport.process.Scripts;
import io.attune.worker.testsupport.services.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Following and cancelling executions end to end on real PostgreSQL and RabbitMQ, with a scheduler and a worker as
 * {@code java -jar} processes: {@code submit} tells what happens as it happens, {@code executions show} prints the
 * attempts, {@code cancel} ends a waiting execution at once and a running one's whole process tree through its
 * worker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FollowExecutionsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WORKER = "e2e-follow";
  private static final String ACTION = "e2e.on_follow";

  private TestServices services;
  private PostgresAdapter db;
  private final List<JarProcess> processes = new ArrayList<>();

  /** What a command line run printed, and how it exited. */
  @BeforeAll
  void startTheSystem() throws Exception {
    services = TestServices.require();
    assertThat(cli("migrate").status()).isZero();
    db = PostgresAdapter.connect(PostgresSettings.of(services.databaseUrl(), services.databaseUser(),
        services.databasePassword()));
    processes.add(JarProcess.start("follow-scheduler", env(Map.of()), "scheduler"));
    Path config = JarProcess.LOGS.resolve(WORKER + ".yaml");
    Files.createDirectories(JarProcess.LOGS);
    Files.writeString(config, "worker:\n  capabilities:\n    taints:\n"
        + "      - {key: dedicated, value: \"true\", effect: no_schedule}\n");
    processes.add(JarProcess.start(WORKER, env(Map.of("ATTUNE_WORKER_NAME", WORKER, "ATTUNE_WORKER_RUNTIMES", "shell",
        "ATTUNE_WORKER_MAX_CONCURRENT_EXECUTIONS", "1", "ATTUNE_WORKER_LABELS", "role=follow",
        "ATTUNE_CONFIG", config.toAbsolutePath().toString())), "run"));
    await().atMost(Duration.ofSeconds(120))
        .until(() -> db.directory().byName(WORKER).map(Worker::isActive).orElse(false));
  }

  @AfterAll
  void stopTheSystem() throws InterruptedException {
    JarProcess.stopAll(processes);
    if (db != null) {
      db.close();
    }
  }

  @Test
  @Order(1)
  void submit_tells_each_change_on_standard_error_and_executions_show_prints_the_attempts() throws Exception {
    CliRun submitted = cli("submit", ACTION, "--param", "seconds=0.2", "--wait", "--json", "--timeout", "120");

    assertThat(submitted.status()).as(submitted.err()).isZero();
    Map<?, ?> ended = JSON.readValue(submitted.out(), Map.class);
    assertThat(new ArrayList<Object>(ended.keySet())).containsExactly("execution_id", "action", "status", "worker", "attempt", "exit_code",
        "stdout", "stderr", "result", "message");
    long id = ((Number) ended.get("execution_id")).longValue();
    assertThat(submitted.err()).contains("execution " + id + " submitted (" + ACTION + ")")
        .contains("execution " + id + ": scheduled on worker " + WORKER + " (attempt 1)")
        .contains("execution " + id + ": succeeded");
    assertThat(submitted.err().indexOf("submitted")).isLessThan(submitted.err().indexOf("succeeded"));

    CliRun show = cli("executions", "show", Long.toString(id), "--json");
    Map<?, ?> shown = JSON.readValue(show.out(), Map.class);
    assertThat(shown.get("status")).isEqualTo("succeeded");
    assertThat(shown.get("stdout")).isEqualTo(ended.get("stdout"));
    List<?> attempts = (List<?>) shown.get("attempts");
    assertThat(attempts).hasSize(1);
    Map<?, ?> attempt = (Map<?, ?>) attempts.get(0);
    assertThat(attempt.get("attempt")).isEqualTo(1);
    assertThat(attempt.get("worker")).isEqualTo(WORKER);
    assertThat(attempt.get("outcome")).isEqualTo("succeeded");
    assertThat(attempt.get("scheduled_at")).isNotNull();
    assertThat(attempt.get("started_at")).isNotNull();
    assertThat(attempt.get("ended_at")).isEqualTo(shown.get("ended_at"));

    CliRun text = cli("executions", "show", Long.toString(id));
    assertThat(text.out()).contains("execution " + id + " of " + ACTION + ": succeeded on " + WORKER)
        .contains("attempts:").contains("OUTCOME").contains("succeeded");

    CliRun listed = cli("executions", "--action", ACTION, "--status", "succeeded", "--limit", "1", "--json");
    List<?> rows = JSON.readValue(listed.out(), List.class);
    assertThat(rows).hasSize(1);
    assertThat(((Number) ((Map<?, ?>) rows.get(0)).get("execution_id")).longValue()).isEqualTo(id);
    assertThat(cli("executions", "--action", ACTION).out()).contains("ID").contains(Long.toString(id));
  }

  @Test
  @Order(2)
  void cancel_ends_a_waiting_execution_at_once_and_a_running_one_with_its_whole_process_tree() throws Exception {
    Path pids = Files.createTempDirectory("follow-tree");
    // the action runs as nobody under a root worker: it writes its process ids here
    Files.setPosixFilePermissions(pids, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    ExecutionId running = submit("seconds=600", "dir=" + pids);
    await().atMost(Duration.ofSeconds(60)).until(() -> execution(running).status() == ExecutionStatus.RUNNING
        && Files.exists(pids.resolve("grandchild.pid")) && Files.exists(pids.resolve("self.pid")));
    List<Long> tree = new ArrayList<>();
    for (String file : List.of("self.pid", "child.pid", "grandchild.pid")) {
      tree.add(Long.parseLong(Files.readString(pids.resolve(file)).strip()));
    }
    assertThat(tree).allSatisfy(pid -> assertThat(Scripts.running(pid)).as("process " + pid).isTrue());
    // the worker's only slot is taken: this one waits (the cancel below says it had not started)
    ExecutionId waiting = submit("seconds=0.1");

    CliRun cancelWaiting = cli("cancel", waiting.toString());
    assertThat(cancelWaiting.status()).as(cancelWaiting.err()).isZero();
    assertThat(cancelWaiting.out()).contains("execution " + waiting + " (" + ACTION + ") cancelled: it had not "
        + "started");
    assertThat(execution(waiting).status()).isEqualTo(ExecutionStatus.CANCELLED);

    CliRun cancelRunning = cli("cancel", running.toString(), "--timeout", "60");
    assertThat(cancelRunning.status()).as(cancelRunning.out() + cancelRunning.err()).isZero();
    assertThat(cancelRunning.out()).contains("runs on " + WORKER + ": cancel requested")
        .contains("execution " + running + " cancelled");
    Execution cancelled = execution(running);
    assertThat(cancelled.status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(cancelled.result().orElseThrow().message()).contains("ended its process tree");
    assertThat(cancelled.result().orElseThrow().stdout()).contains("tree started");
    assertThat(cancelled.attempts()).singleElement().satisfies(a -> assertThat(a.outcome().orElseThrow().wireName())
        .isEqualTo("cancelled"));
    for (long pid : tree) {
      await("process " + pid + " of the tree").atMost(Duration.ofSeconds(20)).until(() -> !Scripts.running(pid));
    }
    assertThat(db.directory().byName(WORKER).orElseThrow().running()).as("its slot is free").isZero();

    CliRun again = cli("cancel", running.toString());
    assertThat(again.status()).isZero();
    assertThat(again.out()).contains("had already ended: cancelled; nothing changed");
    // the scheduler never placed the one cancelled while it waited, though the worker is free now
    ExecutionId after = submit("seconds=0.1");
    await().atMost(Duration.ofSeconds(60)).until(() -> execution(after).status() == ExecutionStatus.SUCCEEDED);
    assertThat(execution(waiting).status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(execution(waiting).attempt()).isZero();
    assertThat(execution(waiting).attempts()).isEmpty();
  }

  @Test
  @Order(3)
  void bad_ids_statuses_and_limits_are_refused_with_exit_2_and_unknown_ids_with_exit_1() {
    CliRun badStatus = cli("executions", "--status", "done");
    assertThat(badStatus.status()).isEqualTo(2);
    assertThat(badStatus.err()).contains("--status").contains("'done'")
        .contains("requested, scheduled, running, succeeded, failed, timed_out, cancelled, abandoned, unschedulable");
    CliRun badLimit = cli("executions", "--limit", "0");
    assertThat(badLimit.status()).isEqualTo(2);
    assertThat(badLimit.err()).contains("--limit").contains("expected a number from 1 to 10000");
    CliRun badId = cli("executions", "show", "abc");
    assertThat(badId.status()).isEqualTo(2);
    assertThat(badId.err()).contains("'abc'").contains("expected an execution id");
    assertThat(cli("cancel", "-3").status()).isEqualTo(2);

    CliRun unknown = cli("executions", "show", "987654321");
    assertThat(unknown.status()).isEqualTo(1);
    assertThat(unknown.err()).contains("no execution 987654321");
    CliRun unknownCancel = cli("cancel", "987654321");
    assertThat(unknownCancel.status()).isEqualTo(1);
    assertThat(unknownCancel.err()).contains("no execution 987654321");
  }


  private ExecutionId submit(String... params) {
    List<String> args = new ArrayList<>(List.of("submit", ACTION, "--json"));
    for (String p : params) {
      args.add("--param");
      args.add(p);
    }
    CliRun run = cli(args.toArray(String[]::new));
    assertThat(run.status()).as(run.err()).isZero();
    try {
      Map<?, ?> tree = JSON.readValue(run.out(), Map.class);
      return new ExecutionId(((Number) tree.get("execution_id")).longValue());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Execution execution(ExecutionId id) {
    return db.executions().find(id).orElseThrow();
  }

  private Map<String, String> env(Map<String, String> extra) {
    return JarProcess.baseEnvironment(services, new HashMap<>(extra));
  }

  private CliRun cli(String... args) {
    return CliRun.of(env(Map.of()), args);
  }
}
