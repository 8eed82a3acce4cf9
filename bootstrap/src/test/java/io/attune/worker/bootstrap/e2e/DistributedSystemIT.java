package io.attune.worker.bootstrap.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.bootstrap.Main;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.testsupport.services.TestServices;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The distributed system end to end on real PostgreSQL and RabbitMQ: schedulers and workers are separate
 * {@code java -jar} processes, started and stopped as a user would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributedSystemIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Set<String>> CAPABLE = Map.of(
      "e2e.sleep_python", Set.of("e2e-python", "e2e-full"),
      "e2e.sleep_node", Set.of("e2e-node", "e2e-full"),
      "e2e.sleep_shell", Set.of("e2e-shell", "e2e-python", "e2e-node", "e2e-full"));

  private TestServices services;
  private PostgresAdapter db;
  private final List<JarProcess> processes = new ArrayList<>();
  private final Map<String, Integer> maxHeldSeen = new ConcurrentHashMap<>();
  private ScheduledExecutorService sampler;

  @BeforeAll
  void startTheSystem() throws Exception {
    services = TestServices.require();
    assertThat(cli("migrate")).contains("schema version");
    db = PostgresAdapter.connect(PostgresSettings.of(services.databaseUrl(), services.databaseUser(),
        services.databasePassword()));
    processes.add(JarProcess.start("scheduler-1", env(Map.of()), "scheduler"));
    processes.add(JarProcess.start("scheduler-2", env(Map.of()), "scheduler"));
    startWorker("e2e-shell", "shell", 2, "");
    startWorker("e2e-python", "shell,python", 2, "");
    startWorker("e2e-node", "shell,node", 2, "");
    startWorker("e2e-full", "shell,python,node,native", 3, "");
    // its own four by name: other tests share the database and may have left workers of theirs
    Set<String> ours = Set.of("e2e-shell", "e2e-python", "e2e-node", "e2e-full");
    await().atMost(Duration.ofSeconds(120))
        .until(() -> activeWorkers().stream().map(Worker::name).filter(ours::contains).count() == ours.size());
    sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(this::sampleHeldCapacity, 0, 50, TimeUnit.MILLISECONDS);
  }

  @AfterAll
  void stopTheSystem() throws InterruptedException {
    if (sampler != null) {
      sampler.shutdownNow();
    }
    JarProcess.stopAll(processes);
    if (db != null) {
      db.close();
    }
  }

  @Test
  @Order(1)
  void actions_land_only_on_workers_offering_their_runtime_and_more_than_capacity_all_finish() {
    List<ExecutionId> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ids.add(submit("e2e.sleep_shell", "seconds=0.5"));
      ids.add(submit("e2e.sleep_python", "seconds=0.5"));
      ids.add(submit("e2e.sleep_node", "seconds=0.5"));
    }
    await().atMost(Duration.ofSeconds(180)).until(() -> ids.stream().allMatch(id -> execution(id).status()
        .isTerminal()));

    Map<String, Integer> shellSpread = new HashMap<>();
    for (ExecutionId id : ids) {
      Execution e = execution(id);
      assertThat(e.status()).as("execution %s (%s): %s", id, e.actionRef(), e.result()).isEqualTo(
          ExecutionStatus.SUCCEEDED);
      String worker = workerName(e);
      assertThat(CAPABLE.get(e.actionRef().toString())).as(e.actionRef() + " ran on " + worker).contains(worker);
      if (e.actionRef().toString().equals("e2e.sleep_shell")) {
        shellSpread.merge(worker, 1, Integer::sum);
      }
    }
    assertThat(shellSpread.keySet()).as("shell actions spread over the workers").hasSizeGreaterThan(1);
    assertThat(maxHeldSeen).as("executions held per worker, sampled every 50 ms").isNotEmpty();
    maxHeldSeen.forEach((worker, held) -> assertThat(held).as(worker).isLessThanOrEqualTo(limitOf(worker)));
  }

  @Test
  @Order(2)
  void an_action_nobody_can_run_fails_at_once_with_an_explanation_naming_each_worker() throws Exception {
    String out = cli("submit", "e2e.needs_ruby", "--wait", "--json", "--timeout", "60");
    Map<?, ?> tree = JSON.readValue(out, Map.class);

    assertThat(tree.get("status")).isEqualTo("unschedulable");
    Map<?, ?> explanation = (Map<?, ?>) tree.get("result");
    assertThat(explanation.get("outcome")).isEqualTo("unschedulable");
    List<?> workers = (List<?>) explanation.get("workers");
    List<String> names = workers.stream().map(w -> (String) ((Map<?, ?>) w).get("name")).toList();
    assertThat(names).contains("e2e-shell", "e2e-python", "e2e-node", "e2e-full");
    assertThat(out).contains("runtime_missing");
  }

  @Test
  @Order(3)
  void an_action_that_needs_a_busy_worker_waits_and_then_runs() {
    JarProcess busy = startWorker("e2e-drain", "shell", 1, "role=drain");
    await().atMost(Duration.ofSeconds(120)).until(() -> isActive("e2e-drain"));
    ExecutionId first = submit("e2e.on_drain", "seconds=3");
    ExecutionId second = submit("e2e.on_drain", "seconds=0.2");

    await().atMost(Duration.ofSeconds(60)).until(() -> execution(first).status() == ExecutionStatus.RUNNING);
    assertThat(execution(second).status()).as("the only drain worker is busy").isEqualTo(ExecutionStatus.REQUESTED);
    await().atMost(Duration.ofSeconds(60)).until(() -> execution(second).status().isTerminal());
    assertThat(execution(second).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(execution(second).startedAt().orElseThrow())
        .isAfterOrEqualTo(execution(first).endedAt().orElseThrow());
    assertThat(busy.isAlive()).isTrue();
  }

  @Test
  @Order(4)
  void a_worker_stopped_with_sigterm_finishes_its_execution_takes_no_new_one_and_shows_inactive()
      throws InterruptedException {
    JarProcess drain = processes.stream().filter(p -> p.name().equals("e2e-drain")).findFirst().orElseThrow();
    ExecutionId running = submit("e2e.on_drain", "seconds=3");
    await().atMost(Duration.ofSeconds(60)).until(() -> execution(running).status() == ExecutionStatus.RUNNING);

    drain.terminate();
    ExecutionId afterwards = submit("e2e.on_drain", "seconds=0.2");
    assertThat(drain.awaitExit(60)).isZero();

    assertThat(execution(running).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(workerName(execution(running))).isEqualTo("e2e-drain");
    assertThat(db.directory().byName("e2e-drain").orElseThrow().status()).isEqualTo(WorkerStatus.INACTIVE);
    Thread.sleep(2000);
    assertThat(execution(afterwards).startedAt()).as("the draining worker takes no new execution").isEmpty();
    assertThat(execution(afterwards).status()).isIn(ExecutionStatus.REQUESTED, ExecutionStatus.SCHEDULED);
    assertThat(drain.log()).contains("draining").contains("marked inactive");
  }

  @Test
  @Order(8)
  void a_worker_killed_and_restarted_at_once_under_its_name_recovers_what_it_held_and_runs_it_again()
      throws InterruptedException {
    // issue 10, scenario 3: a restart within the heartbeats that would have marked the worker lost (10 s here)
    Map<String, String> slowHeartbeat = Map.of("ATTUNE_HEARTBEAT_INTERVAL_SECONDS", "10");
    JarProcess first = startWorker("e2e-phoenix", "shell", 1, "role=phoenix", slowHeartbeat);
    await().atMost(Duration.ofSeconds(120)).until(() -> isActive("e2e-phoenix"));
    ExecutionId id = submit("e2e.on_phoenix", "seconds=3");
    await().atMost(Duration.ofSeconds(60)).until(() -> execution(id).status() == ExecutionStatus.RUNNING);

    first.kill();
    assertThat(first.awaitExit(30)).isNotZero();
    JarProcess again = startWorker("e2e-phoenix", "shell", 1, "role=phoenix", slowHeartbeat);
    await().atMost(Duration.ofSeconds(60)).until(() -> execution(id).status().isTerminal());

    Execution ended = execution(id);
    assertThat(ended.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(ended.attempt()).as("the dead process's attempt, then the one that ended").isEqualTo(2);
    assertThat(workerName(ended)).isEqualTo("e2e-phoenix");
    assertThat(again.log()).contains("held by an earlier process of this worker");
    assertThat(db.directory().byName("e2e-phoenix").orElseThrow().running()).as("no slot leaked").isZero();
  }

  @Test
  @Order(9)
  void a_worker_whose_grace_period_ends_hands_what_it_runs_to_another_worker_instead_of_cancelling_it()
      throws InterruptedException {
    // issue 10, scenario 8
    JarProcess shortGrace = startWorker("e2e-phoenix-2", "shell", 1, "role=phoenix",
        Map.of("ATTUNE_SHUTDOWN_GRACE_SECONDS", "1"));
    await().atMost(Duration.ofSeconds(120)).until(() -> isActive("e2e-phoenix-2"));
    cli("cordon", "e2e-phoenix");
    ExecutionId id = submit("e2e.on_phoenix", "seconds=4");
    await().atMost(Duration.ofSeconds(60)).until(() -> execution(id).status() == ExecutionStatus.RUNNING);
    assertThat(workerName(execution(id))).isEqualTo("e2e-phoenix-2");
    cli("uncordon", "e2e-phoenix");

    shortGrace.terminate();
    assertThat(shortGrace.awaitExit(60)).isZero();
    await().atMost(Duration.ofSeconds(60)).until(() -> execution(id).status().isTerminal());

    Execution ended = execution(id);
    assertThat(ended.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(ended.attempt()).isEqualTo(2);
    assertThat(workerName(ended)).isEqualTo("e2e-phoenix");
    assertThat(shortGrace.log()).contains("handing them to other workers").contains("requeued for another worker");
    assertThat(db.directory().byName("e2e-phoenix-2").orElseThrow().running()).isZero();
  }

  @Test
  @Order(5)
  void a_worker_killed_mid_execution_has_it_recovered_within_three_heartbeats_and_it_ends_once() {
    startWorker("e2e-victim-a", "shell", 1, "role=victim");
    startWorker("e2e-victim-b", "shell", 1, "role=victim");
    await().atMost(Duration.ofSeconds(120)).until(() -> isActive("e2e-victim-a") && isActive("e2e-victim-b"));
    ExecutionId id = submit("e2e.on_victim", "seconds=4");
    await().atMost(Duration.ofSeconds(60)).until(() -> execution(id).status() == ExecutionStatus.RUNNING);
    String first = workerName(execution(id));
    JarProcess victim = processes.stream().filter(p -> p.name().equals(first)).findFirst().orElseThrow();

    victim.kill();
    long killedAt = System.nanoTime();
    await().atMost(Duration.ofSeconds(30)).until(() -> execution(id).attempt() == 2);
    double recoveredAfterSeconds = (System.nanoTime() - killedAt) / 1e9;
    await().atMost(Duration.ofSeconds(60)).until(() -> execution(id).status().isTerminal());

    Execution ended = execution(id);
    assertThat(ended.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(ended.attempt()).as("one lost attempt, one that ended").isEqualTo(2);
    assertThat(workerName(ended)).isNotEqualTo(first).startsWith("e2e-victim-");
    assertThat(db.directory().byName(first).orElseThrow().status()).isEqualTo(WorkerStatus.INACTIVE);
    System.out.printf("recovered %.1f s after SIGKILL (heartbeat interval 1 s)%n", recoveredAfterSeconds);
  }

  @Test
  @Order(6)
  void a_garbage_message_goes_to_the_dead_letter_queue_and_the_worker_keeps_working() throws Exception {
    Worker shell = db.directory().byName("e2e-shell").orElseThrow();
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(services.mqUrl());
    try (Connection connection = factory.newConnection("e2e-garbage"); Channel channel = connection.createChannel()) {
      long before = channel.queueDeclarePassive("attune.dead_letters").getMessageCount();
      channel.basicPublish("", "worker." + shell.id() + ".executions",
          new AMQP.BasicProperties.Builder().contentType("application/json").build(),
          "{this is not json".getBytes(StandardCharsets.UTF_8));
      await().atMost(Duration.ofSeconds(30)).until(() ->
          channel.queueDeclarePassive("attune.dead_letters").getMessageCount() > before);
    }
    List<ExecutionId> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(submit("e2e.sleep_shell", "seconds=0.1"));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(i -> execution(i).status()
        == ExecutionStatus.SUCCEEDED));
    assertThat(processes.stream().filter(p -> p.name().equals("e2e-shell")).findFirst().orElseThrow().isAlive())
        .isTrue();
  }

  @Test
  @Order(7)
  void a_broker_restart_while_work_is_in_flight_loses_no_execution() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(services.mqCtl() != null, "needs ATTUNE_TEST_MQ_CTL");
    List<ExecutionId> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ids.add(submit("e2e.sleep_shell", "seconds=1"));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().anyMatch(i -> execution(i).status()
        == ExecutionStatus.RUNNING));
    services.mq("rabbitmqctl", "stop_app");
    Thread.sleep(2000);
    services.mq("rabbitmqctl", "start_app");

    await().atMost(Duration.ofSeconds(120)).until(() -> ids.stream().allMatch(i -> execution(i).status()
        .isTerminal()));
    for (ExecutionId id : ids) {
      assertThat(execution(id).status()).as("execution %s: %s", id, execution(id).result())
          .isEqualTo(ExecutionStatus.SUCCEEDED);
    }
    assertThat(processes.stream().filter(p -> p.name().startsWith("scheduler")).allMatch(JarProcess::isAlive))
        .isTrue();
  }

  private JarProcess startWorker(String name, String runtimes, int slots, String labels) {
    return startWorker(name, runtimes, slots, labels, Map.of());
  }

  private JarProcess startWorker(String name, String runtimes, int slots, String labels, Map<String, String> more) {
    Map<String, String> extra = new HashMap<>(Map.of("ATTUNE_WORKER_NAME", name, "ATTUNE_WORKER_RUNTIMES", runtimes,
        "ATTUNE_WORKER_MAX_CONCURRENT_EXECUTIONS", Integer.toString(slots), "ATTUNE_SHUTDOWN_GRACE_SECONDS", "20"));
    extra.putAll(more);
    if (!labels.isEmpty()) {
      extra.put("ATTUNE_WORKER_LABELS", labels);
      extra.put("ATTUNE_CONFIG", writeTaintConfig(name));
    }
    JarProcess process = JarProcess.start(name, env(extra), "run");
    processes.add(process);
    return process;
  }

  /** Workers with a role carry a taint, so that ordinary actions never land on them. */
  private static String writeTaintConfig(String name) {
    try {
      java.nio.file.Path file = JarProcess.LOGS.resolve(name + ".yaml");
      java.nio.file.Files.createDirectories(JarProcess.LOGS);
      java.nio.file.Files.writeString(file, "worker:\n  capabilities:\n    taints:\n"
          + "      - {key: dedicated, value: \"true\", effect: no_schedule}\n");
      return file.toAbsolutePath().toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Map<String, String> env(Map<String, String> extra) {
    return JarProcess.baseEnvironment(services, extra);
  }

  private String cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, env(Map.of()), new PrintWriter(out, true), new PrintWriter(err, true));
    if (status != 0 && !(args.length > 0 && args[0].equals("submit"))) {
      throw new AssertionError(String.join(" ", args) + " exited " + status + ": " + err);
    }
    return out.toString();
  }

  private ExecutionId submit(String action, String... params) {
    List<String> args = new ArrayList<>(List.of("submit", action, "--json"));
    for (String p : params) {
      args.add("--param");
      args.add(p);
    }
    try {
      Map<?, ?> tree = JSON.readValue(cli(args.toArray(String[]::new)), Map.class);
      return new ExecutionId(((Number) tree.get("execution_id")).longValue());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Execution execution(ExecutionId id) {
    return db.executions().find(id).orElseThrow();
  }

  private String workerName(Execution e) {
    return e.worker().flatMap(db.directory()::byId).map(Worker::name).orElse("-");
  }

  private List<Worker> activeWorkers() {
    return db.directory().all().stream().filter(Worker::isActive).toList();
  }

  private boolean isActive(String name) {
    return db.directory().byName(name).map(Worker::isActive).orElse(false);
  }

  private int limitOf(String worker) {
    return db.directory().byName(worker).orElseThrow().capabilities().maxConcurrentExecutions();
  }

  /** Records the most executions each worker held at once, straight from the execution table. */
  private void sampleHeldCapacity() {
    try (var connection = db.dataSource().getConnection(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT w.name, count(*) FROM execution e JOIN worker w ON w.id = "
            + "e.worker WHERE e.status IN ('scheduled', 'running') GROUP BY w.name")) {
      while (rows.next()) {
        maxHeldSeen.merge(rows.getString(1), rows.getInt(2), Math::max);
      }
    } catch (java.sql.SQLException | RuntimeException ignored) {
      // a missed sample only weakens the check
    }
  }
}
