package io.attune.worker.bootstrap.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.attune.worker.adapter.local.packs.PacksDirectoryCatalog;
import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.bootstrap.cli.CliRun;
import io.attune.worker.core.model.action.ParameterCap;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.port.in.SubmitExecutionUseCase.Submission;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.service.SubmitExecutionService;
import io.attune.worker.testsupport.services.TestServices;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
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
 * {@code /metrics}, {@code /readyz} and {@code /healthz} of a real scheduler and real workers ({@code java -jar}
 * processes with {@code ATTUNE_HTTP_PORT} set) on a database and a RabbitMQ virtual host of the suite's own, read
 * with the Prometheus client's parser and checked against what the database says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  private TestServices services;
  private String databaseUrl;
  private String mqUrl;
  private PostgresAdapter db;
  private Path packs;
  private SubmitExecutionService submissions;
  private final List<JarProcess> processes = new ArrayList<>();
  private final Map<String, Integer> ports = new HashMap<>();

  @BeforeAll
  void startSchedulerAndWorker() throws Exception {
    services = TestServices.require();
    isolate();
    packs = writePacks();
    submissions = new SubmitExecutionService(PacksDirectoryCatalog.load(packs), db.executions(), Clock.systemUTC(),
        ParameterCap.NONE, ExecutionEvents.NONE);
    start("m-scheduler", Map.of(), "scheduler");
    worker("m-shell", "shell", 1);
    awaitReady("m-scheduler");
    awaitReady("m-shell");
  }

  @AfterAll
  void stopEverything() throws InterruptedException {
    JarProcess.stopAll(processes);
    if (db != null) {
      db.close();
    }
  }

  @Test
  @Order(1)
  void counters_and_the_waiting_gauge_agree_with_the_database_after_successes_failures_waits_and_an_unschedulable()
      throws Exception {
    List<ExecutionId> ids = new ArrayList<>();
    ids.addAll(submit("m.slow", 3)); // one slot: the others wait for it
    ids.addAll(submit("m.ok", 3));
    ids.addAll(submit("m.fail", 2));
    ids.addAll(submit("m.needs_ruby", 1));
    // during the run: the scheduler's waiting gauge is a count of the database, never above what was submitted
    await().atMost(PATIENCE).until(() -> scheduler().value("attune_executions_waiting", Map.of("runtime", "shell"))
        .orElse(0.0) > 0);
    assertThat(scheduler().value("attune_executions_waiting", Map.of("runtime", "shell")).orElseThrow())
        .isLessThanOrEqualTo(8.0);

    await().atMost(PATIENCE).until(() -> ids.stream().allMatch(id -> execution(id).status().isTerminal()));
    Map<List<String>, Long> ended = endedByRuntimeAndStatus();
    assertThat(ended).isEqualTo(Map.of(List.of("shell", "succeeded"), 6L, List.of("shell", "failed"), 2L,
        List.of("ruby", "unschedulable"), 1L));
    // each process counts what it recorded: the worker the runs, the scheduler the unschedulable verdict
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(executionsTotal(scheduler(), worker("m-shell"))).isEqualTo(ended));

    Exposition scheduler = scheduler();
    Exposition worker = worker("m-shell");
    assertThat(scheduler.typeOf("attune_executions_total")).contains("counter");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scheduler()
        .value("attune_executions_waiting", Map.of("runtime", "shell"))).as("the queue drained: back to 0")
        .contains((double) waitingInDatabase("shell")).contains(0.0));
    assertThat(scheduler.value("attune_placement_decisions_total", Map.of("outcome", "wait", "reason",
        "at_capacity")).orElse(0.0)).as("the busy single slot made executions wait").isGreaterThan(0);
    assertThat(scheduler.value("attune_placement_decisions_total", Map.of("outcome", "unschedulable", "reason",
        "runtime_missing"))).as("no worker offers ruby").contains(1.0);
    assertThat(scheduler.typeOf("attune_placement_decision_seconds_bucket")).contains("histogram");
    assertThat(scheduler.value("attune_placement_decision_seconds_count", Map.of()).orElseThrow())
        .as("at least one decision per execution").isGreaterThanOrEqualTo(9.0);
    assertThat(scheduler.value("attune_workers", Map.of("status", "active", "runtime", "shell"))).contains(1.0);
    assertThat(worker.typeOf("attune_submit_to_start_seconds_bucket")).contains("histogram");
    assertThat(worker.value("attune_submit_to_start_seconds_count", Map.of("runtime", "shell")))
        .as("one start per execution that ran").contains((double) startedInDatabase());
    assertThat(worker.value("attune_worker_slots", Map.of("state", "used")).orElseThrow()
        + worker.value("attune_worker_slots", Map.of("state", "free")).orElseThrow()).isEqualTo(1.0);
    assertThat(worker.value("attune_worker_heartbeat_age_seconds", Map.of())).as("a number once registered")
        .hasValueSatisfying(age -> assertThat(age).isNotNull().isGreaterThanOrEqualTo(0.0));
    assertThat(scheduler.value("attune_dispatch_failures_total", Map.of())).contains(0.0);
    assertThat(worker.value("attune_result_publication_failures_total", Map.of())).contains(0.0);
    for (Exposition process : List.of(scheduler, worker)) {
      assertThat(process.find("jvm_memory_used_bytes", Map.of())).isNotEmpty();
      assertThat(process.find("jvm_threads_live_threads", Map.of())).isNotEmpty();
      assertThat(process.find("process_uptime_seconds", Map.of())).isNotEmpty();
      assertThat(process.samples()).filteredOn(s -> s.name().startsWith("attune_"))
          .as("labels of few values only: no execution id, no worker name").allSatisfy(s ->
              assertThat(s.labels().keySet()).isSubsetOf("runtime", "outcome", "reason", "status", "state", "le"));
    }
  }

  @Test
  @Order(2)
  void the_waiting_gauge_of_a_runtime_rises_while_no_worker_of_it_is_free_and_falls_back_to_zero_when_one_comes() {
    worker("m-python-1", "python", 1);
    await().atMost(PATIENCE).until(() -> db.directory().byName("m-python-1").isPresent());
    cli("cordon", "m-python-1");

    List<ExecutionId> ids = submit("m.py", 4);

    await().atMost(PATIENCE).untilAsserted(() -> assertThat(scheduler().value("attune_executions_waiting",
        Map.of("runtime", "python"))).contains(4.0));
    assertThat(waitingInDatabase("python")).isEqualTo(4);
    // counted by the decision on the request, or by the sweep's if the request's decision could not be made
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(scheduler().value("attune_placement_decisions_total",
        Map.of("outcome", "wait", "reason", "cordoned")).orElse(0.0)).isGreaterThan(0));

    worker("m-python-2", "python", 2);
    await().atMost(PATIENCE).until(() -> ids.stream().allMatch(id -> execution(id).status().isTerminal()));
    assertThat(ids).allMatch(id -> execution(id).status() == ExecutionStatus.SUCCEEDED);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scheduler().value(
        "attune_executions_waiting", Map.of("runtime", "python"))).as("0, not absent").contains(0.0));
    assertThat(waitingInDatabase("python")).isZero();
  }

  @Test
  @Order(3)
  void readyz_turns_not_ready_while_the_database_is_away_and_ready_again_once_it_is_back() {
    org.junit.jupiter.api.Assumptions.assumeTrue(services.pgCtl() != null, "needs ATTUNE_TEST_PG_CTL");
    assertThat(readyz("m-shell").statusCode()).isEqualTo(200);
    boolean stopped = false;
    try {
      services.pg("stop");
      stopped = true;
      await().atMost(PATIENCE).untilAsserted(() -> {
        HttpResponse<String> notReady = readyz("m-shell");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(reasons(notReady)).anyMatch(r -> r.contains("heartbeat"));
      });
      await().atMost(PATIENCE).untilAsserted(() -> {
        HttpResponse<String> scheduler = readyz("m-scheduler");
        assertThat(scheduler.statusCode()).isEqualTo(503);
        assertThat(reasons(scheduler)).anyMatch(r -> r.contains("query of the database"));
      });
      assertThat(Exposition.get(ports.get("m-shell"), "/healthz").statusCode()).as("alive all the same")
          .isEqualTo(200);
    } finally {
      if (stopped) {
        services.pg("start");
      }
    }
    awaitReady("m-shell");
    awaitReady("m-scheduler");
  }

  @Test
  @Order(4)
  void readyz_turns_not_ready_while_the_broker_is_away_and_ready_again_once_it_is_back() {
    org.junit.jupiter.api.Assumptions.assumeTrue(services.mqCtl() != null, "needs ATTUNE_TEST_MQ_CTL");
    assertThat(readyz("m-shell").statusCode()).isEqualTo(200);
    boolean stopped = false;
    try {
      services.mq("rabbitmqctl", "stop_app");
      stopped = true;
      await().atMost(PATIENCE).untilAsserted(() -> {
        HttpResponse<String> notReady = readyz("m-shell");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(reasons(notReady)).contains("not connected to RabbitMQ").anyMatch(r -> r.startsWith(
            "not consuming its queue worker."));
      });
      await().atMost(PATIENCE).untilAsserted(() -> assertThat(reasons(readyz("m-scheduler")))
          .contains("not connected to RabbitMQ"));
    } finally {
      if (stopped) {
        services.mq("rabbitmqctl", "start_app");
      }
    }
    awaitReady("m-shell");
    awaitReady("m-scheduler");
    // and it works again: the consumer came back with the connection
    List<ExecutionId> after = submit("m.ok", 2);
    await().atMost(PATIENCE).until(() -> after.stream().allMatch(id -> execution(id).status()
        == ExecutionStatus.SUCCEEDED));
  }

  // ---- the system under test ----------------------------------------------------------------------------------

  /** A database and a virtual host of the suite's own, so that every count is the suite's. */
  private void isolate() throws Exception {
    String name = "attune_metrics_" + ProcessHandle.current().pid();
    databaseUrl = services.createDatabase(name);
    mqUrl = services.createVirtualHost(name);
    db = PostgresAdapter.connect(PostgresSettings.of(databaseUrl, services.databaseUser(),
        services.databasePassword()));
    db.migrate();
  }

  private Path writePacks() throws IOException {
    Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "metrics-it-packs");
    // readable by the user a root worker runs its actions as
    Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Path actions = Files.createDirectories(root.resolve("m/actions"));
    Files.writeString(actions.resolve("ok.sh"), "#!/bin/sh\ncat > /dev/null\necho '{\"ok\": true}'\n");
    Files.writeString(actions.resolve("ok.yaml"), "runtime: shell\nentry_point: ok.sh\n");
    Files.writeString(actions.resolve("fail.sh"), "#!/bin/sh\ncat > /dev/null\necho 'it went wrong' >&2\nexit 3\n");
    Files.writeString(actions.resolve("fail.yaml"), "runtime: shell\nentry_point: fail.sh\n");
    Files.writeString(actions.resolve("slow.sh"), "#!/bin/sh\ncat > /dev/null\nsleep 1\n");
    Files.writeString(actions.resolve("slow.yaml"), "runtime: shell\nentry_point: slow.sh\n");
    Files.writeString(actions.resolve("needs_ruby.yaml"), "runtime: ruby\nentry_point: ok.sh\n");
    Files.writeString(actions.resolve("py.py"), "import json, sys\njson.load(sys.stdin)\nprint(json.dumps({'ok': True}))\n");
    Files.writeString(actions.resolve("py.yaml"), "runtime: python\nentry_point: py.py\n");
    return root;
  }

  private void start(String name, Map<String, String> extra, String command) {
    int port = freePort();
    ports.put(name, port);
    Map<String, String> env = new HashMap<>(JarProcess.baseEnvironment(services, Map.of()));
    env.put("ATTUNE_DATABASE_URL", databaseUrl);
    env.put("ATTUNE_MQ_URL", mqUrl);
    env.put("ATTUNE_PACKS_DIR", packs.toString());
    env.put("ATTUNE_HTTP_PORT", Integer.toString(port));
    env.putAll(extra);
    processes.add(JarProcess.start(name, env, command));
  }

  private void worker(String name, String runtimes, int slots) {
    start(name, Map.of("ATTUNE_WORKER_NAME", name, "ATTUNE_WORKER_RUNTIMES", runtimes,
        "ATTUNE_WORKER_MAX_CONCURRENT_EXECUTIONS", Integer.toString(slots), "ATTUNE_SHUTDOWN_GRACE_SECONDS", "5"),
        "run");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void awaitReady(String process) {
    await().atMost(PATIENCE).ignoreExceptions().until(() -> readyz(process).statusCode() == 200);
  }

  private HttpResponse<String> readyz(String process) {
    return Exposition.get(ports.get(process), "/readyz");
  }

  private static List<String> reasons(HttpResponse<String> readyz) throws IOException {
    Map<?, ?> body = JSON.readValue(readyz.body(), Map.class);
    return ((List<?>) body.get("reasons")).stream().map(String::valueOf).toList();
  }

  private Exposition scheduler() {
    return Exposition.scrape(ports.get("m-scheduler"));
  }

  private Exposition worker(String name) {
    return Exposition.scrape(ports.get(name));
  }

  private List<ExecutionId> submit(String action, int count) {
    List<ExecutionId> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Submission s = submissions.submit(action, Map.of());
      assertThat(s).isInstanceOf(Submission.Accepted.class);
      ids.add(((Submission.Accepted) s).execution().id());
    }
    return ids;
  }

  /** Runs a command of the command line against this test's services; it must succeed. */
  private void cli(String... args) {
    Map<String, String> env = new HashMap<>(JarProcess.baseEnvironment(services, Map.of()));
    env.put("ATTUNE_DATABASE_URL", databaseUrl);
    env.put("ATTUNE_MQ_URL", mqUrl);
    CliRun run = CliRun.of(env, args);
    assertThat(run.status()).as(String.join(" ", args) + ": " + run.err()).isZero();
  }

  private Execution execution(ExecutionId id) {
    return db.executions().find(id).orElseThrow();
  }

  // ---- what the database says -----------------------------------------------------------------------------------

  /** The ended executions, by [runtime, status], counted in SQL. */
  private Map<List<String>, Long> endedByRuntimeAndStatus() throws Exception {
    Map<List<String>, Long> counts = new HashMap<>();
    query("SELECT requirements ->> 'runtime', status, count(*) FROM execution WHERE status NOT IN ('requested', "
        + "'scheduled', 'running') GROUP BY 1, 2", rows -> counts.put(List.of(rows.getString(1), rows.getString(2)),
        rows.getLong(3)));
    return counts;
  }

  private long waitingInDatabase(String runtime) {
    return db.executions().waitingByRuntime().getOrDefault(RuntimeName.of(runtime), 0L);
  }

  private long startedInDatabase() throws Exception {
    long[] started = new long[1];
    query("SELECT count(*) FROM execution WHERE started_at IS NOT NULL AND requirements ->> 'runtime' = 'shell'",
        rows -> started[0] = rows.getLong(1));
    return started[0];
  }

  /** The sum over the processes of attune_executions_total by [runtime, outcome], zeros left out. */
  private static Map<List<String>, Long> executionsTotal(Exposition... processes) {
    Map<List<String>, Long> sums = new HashMap<>();
    for (Exposition process : processes) {
      for (Exposition.Sample s : process.find("attune_executions_total", Map.of())) {
        if (s.value() != null && s.value() > 0) {
          sums.merge(List.of(s.labels().get("runtime"), s.labels().get("outcome")), s.value().longValue(), Long::sum);
        }
      }
    }
    return sums;
  }

  private interface RowReader {
    void read(ResultSet rows) throws java.sql.SQLException;
  }

  private void query(String sql, RowReader reader) throws Exception {
    try (var connection = db.dataSource().getConnection(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        reader.read(rows);
      }
    }
  }
}
