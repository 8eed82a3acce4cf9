package io.attune.worker.bootstrap.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.attune.worker.adapter.local.packs.PacksDirectoryCatalog;
import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.core.model.action.ParameterCap;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.port.in.SubmitExecutionUseCase.Submission;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.service.SubmitExecutionService;
import io.attune.worker.testsupport.services.TestServices;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's proof: real {@code java -jar} schedulers and workers on real PostgreSQL and RabbitMQ, a few hundred
 * executions of actions that record each run, and while they run every fault the issue names that can be injected
 * here: worker SIGKILL and restart under the same name at once, worker SIGKILL without restart, scheduler SIGKILL
 * while placing, PostgreSQL restart, RabbitMQ restart, every TCP connection to each service cut (the processes
 * reach the services through a {@link FaultProxy}), actions printing NUL bytes and large output, a garbage message
 * on every queue, SIGTERM of a busy worker. Afterwards every execution must have ended, each with one
 * terminal result, no run may have started after its execution ended, and no worker may hold a slot. What
 * at-least-once delivery allowed (retries, runs of the same execution more than once) is counted and printed.
 *
 * <p>The suite has a database and a RabbitMQ virtual host of its own, so nothing of the other tests mixes in. Its
 * summary line is also written to {@code target/fault-injection-summary.txt}, which {@code scripts/test.sh} prints
 * at the end of the test command.
 */
class FaultInjectionIT {

  private static final Pattern WORKER_END = Pattern.compile(
      "execution (\\d+) \\([^)]+\\) attempt (\\d+) (succeeded|failed|timed_out|cancelled):");
  private static final Path SUMMARY = Path.of("target/fault-injection-summary.txt");

  @TempDir
  Path work;

  private TestServices services;
  private String databaseUrl;
  private String mqUrl;
  private FaultProxy postgresProxy;
  private FaultProxy rabbitProxy;
  private PostgresAdapter db;
  private final List<JarProcess> processes = new ArrayList<>();
  private final Map<String, Integer> faults = new LinkedHashMap<>();
  private final List<ExecutionId> submitted = new ArrayList<>();
  private final java.util.Set<String> stoppedOnPurpose = new java.util.HashSet<>();

  @AfterEach
  void stopEverything() throws InterruptedException {
    for (JarProcess p : processes) {
      p.kill();
    }
    for (JarProcess p : processes) {
      if (p.isAlive()) {
        p.awaitExit(30);
      }
    }
    if (db != null) {
      db.close();
    }
    for (FaultProxy proxy : new FaultProxy[] {postgresProxy, rabbitProxy}) {
      if (proxy != null) {
        proxy.close();
      }
    }
  }

  @Test
  void under_every_injected_fault_every_execution_ends_once_and_no_slot_leaks() throws Exception {
    services = TestServices.require();
    assertThat(services.pgCtl()).as("ATTUNE_TEST_PG_CTL from scripts/test-services.sh").isNotNull();
    assertThat(services.mqCtl()).as("ATTUNE_TEST_MQ_CTL from scripts/test-services.sh").isNotNull();
    isolate();
    Path packs = writePacks();
    Path config = Files.writeString(work.resolve("attune.yaml"), "scheduler: {max_attempts: 6}\n");
    SubmitExecutionService submissions = new SubmitExecutionService(PacksDirectoryCatalog.load(packs), db.executions(),
        Clock.systemUTC(), ParameterCap.NONE, ExecutionEvents.NONE);

    scheduler("scheduler-a", config, packs);
    scheduler("scheduler-b", config, packs);
    worker("fault-w1", "fault-w1", config, packs);
    worker("fault-w2", "fault-w2", config, packs);
    worker("fault-w3", "fault-w3", config, packs);
    await().atMost(Duration.ofSeconds(120)).until(() -> activeWorkers() >= 3);

    submit(submissions, "fault.record", 60);
    awaitSomeRunning(5);
    kill("fault-w1");
    worker("fault-w1-restarted", "fault-w1", config, packs);
    count("worker SIGKILL and restart under the same name");

    submit(submissions, "fault.record", 40);
    submit(submissions, "fault.noisy", 6);
    awaitSomeRunning(5);
    kill("fault-w2");
    count("worker SIGKILL without restart");

    submit(submissions, "fault.record", 40);
    kill("scheduler-a");
    count("scheduler SIGKILL while placing");
    scheduler("scheduler-a-restarted", config, packs);
    worker("fault-w4", "fault-w4", config, packs);

    awaitSomeRunning(3);
    services.pg("stop");
    Thread.sleep(2_000);
    services.pg("start");
    count("PostgreSQL restart");

    submit(submissions, "fault.record", 40);
    awaitSomeRunning(3);
    services.mq("rabbitmqctl", "stop_app");
    Thread.sleep(2_000);
    services.mq("rabbitmqctl", "start_app");
    count("RabbitMQ restart");

    submit(submissions, "fault.record", 30);
    awaitSomeRunning(3);
    // every live process has reconnected since the restarts: each holds a broker connection through the proxy
    long alive = processes.stream().filter(JarProcess::isAlive).count();
    await().atMost(Duration.ofSeconds(60)).until(() -> rabbitProxy.openConnections() >= alive
        && postgresProxy.openConnections() >= alive);
    System.out.printf("before the cut: %d processes alive, %d broker and %d database connections open%n", alive,
        rabbitProxy.openConnections(), postgresProxy.openConnections());
    faults.put("TCP connections to PostgreSQL cut (" + postgresProxy.cutAll() + " connections)", 1);
    Thread.sleep(1_000);
    faults.put("TCP connections to RabbitMQ cut (" + rabbitProxy.cutAll() + " connections)", 1);

    int queues = garbageOnEveryQueue();
    faults.put("garbage message on every queue (" + queues + " queues)", 1);

    submit(submissions, "fault.record", 30);
    awaitSomeRunningOn("fault-w3");
    processes.stream().filter(p -> p.name().equals("fault-w3")).findFirst().orElseThrow().terminate();
    stoppedOnPurpose.add("fault-w3");
    count("SIGTERM of a busy worker");
    worker("fault-w5", "fault-w5", config, packs);

    await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1))
        .until(() -> notEnded().isEmpty());

    report(packs);
  }

  // ---- the checks --------------------------------------------------------------------------------------------------

  private void report(Path packs) throws IOException {
    List<Execution> all = submitted.stream().map(id -> db.executions().find(id).orElseThrow()).toList();
    long lost = all.stream().filter(e -> !e.status().isTerminal()).count();
    Map<Long, Integer> terminalReports = workerTerminalReports();
    long duplicatedTerminal = terminalReports.values().stream().filter(n -> n > 1).count();
    long runsAfterEnd = 0;
    long duplicateRuns = 0;
    for (Execution e : all) {
      List<Long> starts = runStarts(packs, e.id());
      long endedAtMillis = e.endedAt().orElseThrow().toEpochMilli();
      runsAfterEnd += starts.stream().filter(start -> start > endedAtMillis).count();
      duplicateRuns += Math.max(0, starts.size() - 1);
    }
    Map<String, Long> leakedSlots = new TreeMap<>();
    for (Worker w : db.directory().all()) {
      long held = db.executions().heldBy(w.id()).size();
      if (w.running() != held) {
        leakedSlots.put(w.name(), (long) w.running() - held);
      }
    }
    long retried = all.stream().filter(e -> e.attempt() > 1).count();
    // a process that no fault stopped must have ridden every fault out, including one that struck as it started
    List<String> diedOfAFault = processes.stream().filter(p -> !stoppedOnPurpose.contains(p.name()))
        .filter(p -> !p.isAlive()).map(p -> p.name() + ": " + lastLine(p.log())).toList();
    Map<String, Long> byStatus = new TreeMap<>();
    all.forEach(e -> byStatus.merge(e.status().wireName(), 1L, Long::sum));

    String summary = String.format("fault-injection: %d executions (%s); faults: %s; lost %d, duplicated terminal "
            + "results %d, runs started after their execution ended %d, leaked slots %d; retried %d, duplicate runs "
            + "allowed by at-least-once delivery %d",
        all.size(), byStatus, faults, lost, duplicatedTerminal, runsAfterEnd, leakedSlots.size(), retried,
        duplicateRuns);
    System.out.println(summary);
    Files.createDirectories(SUMMARY.getParent());
    Files.writeString(SUMMARY, summary + "\n");

    assertThat(lost).as("executions not in a terminal state").isZero();
    assertThat(duplicatedTerminal).as("executions with more than one terminal result").isZero();
    assertThat(runsAfterEnd).as("action runs that started after their execution had ended").isZero();
    assertThat(leakedSlots).as("workers whose running count differs from what they hold").isEmpty();
    assertThat(diedOfAFault).as("processes that exited although no fault stopped them").isEmpty();
    assertThat(all).filteredOn(e -> e.actionRef().toString().equals("fault.noisy")
            && e.status().wireName().equals("succeeded"))
        .allSatisfy(e -> assertThat(e.result().orElseThrow().message()).contains("NUL"));
  }

  private static String lastLine(String log) {
    String trimmed = log.strip();
    return trimmed.substring(trimmed.lastIndexOf('\n') + 1);
  }

  /** How often a worker recorded a terminal outcome per execution, from every worker process's log. */
  private Map<Long, Integer> workerTerminalReports() {
    Map<Long, Integer> reports = new HashMap<>();
    for (JarProcess p : processes) {
      if (!p.name().startsWith("fault-w")) {
        continue;
      }
      Matcher m = WORKER_END.matcher(p.log());
      while (m.find()) {
        long id = Long.parseLong(m.group(1));
        if (submitted.contains(new ExecutionId(id))) {
          reports.merge(id, 1, Integer::sum);
        }
      }
    }
    return reports;
  }

  private List<ExecutionId> notEnded() {
    return submitted.stream().filter(id -> !db.executions().find(id).orElseThrow().status().isTerminal()).toList();
  }

  private static List<Long> runStarts(Path packs, ExecutionId id) throws IOException {
    Path file = packs.resolve("runs").resolve(id.toString());
    if (!Files.exists(file)) {
      return List.of();
    }
    return Files.readAllLines(file).stream().filter(l -> l.startsWith("start ")).map(l -> Long.parseLong(l.substring(6)
        .trim())).toList();
  }

  // ---- the system ---------------------------------------------------------------------------------------------------

  /** A database and a virtual host of the suite's own. */
  private void isolate() throws Exception {
    String name = "attune_faults_" + ProcessHandle.current().pid();
    databaseUrl = services.createDatabase(name);
    mqUrl = services.createVirtualHost(name);
    URI broker = URI.create(services.mqUrl());
    db = PostgresAdapter.connect(PostgresSettings.of(databaseUrl, services.databaseUser(),
        services.databasePassword()));
    db.migrate();
    URI postgres = URI.create(databaseUrl.substring("jdbc:".length()));
    postgresProxy = FaultProxy.start(postgres.getHost(), postgres.getPort());
    rabbitProxy = FaultProxy.start(broker.getHost(), broker.getPort());
  }

  /** The processes under test reach the services through the proxies, which the suite cuts. */
  private String throughProxy(String url, URI service, FaultProxy proxy) {
    return url.replace(service.getHost() + ":" + service.getPort(), "127.0.0.1:" + proxy.port());
  }

  /** Actions that record every run: a start line with the time in milliseconds, then an end line. */
  private Path writePacks() throws IOException {
    // readable by the user a root worker runs its actions as
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path packs = work.resolve("packs");
    Path actions = Files.createDirectories(packs.resolve("fault/actions"));
    Path runs = Files.createDirectories(packs.resolve("runs"));
    Files.setPosixFilePermissions(runs, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.writeString(actions.resolve("record.sh"), """
        #!/bin/sh
        cat > /dev/null
        runs="$ATTUNE_PACK_DIR/../runs/$ATTUNE_EXECUTION_ID"
        echo "start $(date +%s%3N)" >> "$runs"
        sleep 0.$((ATTUNE_EXECUTION_ID % 8 + 2))
        echo "end $(date +%s%3N)" >> "$runs"
        echo '{"recorded": true}'
        """);
    Files.writeString(actions.resolve("record.yaml"), "runtime: shell\nentry_point: record.sh\ntimeout_seconds: 30\n");
    Files.writeString(actions.resolve("noisy.sh"), """
        #!/bin/sh
        cat > /dev/null
        runs="$ATTUNE_PACK_DIR/../runs/$ATTUNE_EXECUTION_ID"
        echo "start $(date +%s%3N)" >> "$runs"
        printf 'before\\000after\\000\\n'
        head -c 3000000 /dev/zero | tr '\\000' 'x'
        printf 'err\\000\\n' >&2
        """);
    Files.writeString(actions.resolve("noisy.yaml"), "runtime: shell\nentry_point: noisy.sh\ntimeout_seconds: 30\n");
    return packs;
  }

  private Map<String, String> env(Path config, Path packs, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(JarProcess.baseEnvironment(services, Map.of()));
    env.put("ATTUNE_DATABASE_URL", throughProxy(databaseUrl, URI.create(databaseUrl.substring("jdbc:".length())),
        postgresProxy));
    env.put("ATTUNE_MQ_URL", throughProxy(mqUrl, URI.create(mqUrl), rabbitProxy));
    env.put("ATTUNE_PACKS_DIR", packs.toString());
    env.put("ATTUNE_CONFIG", config.toString());
    env.put("ATTUNE_DISPATCH_TIMEOUT_SECONDS", "10");
    env.putAll(extra);
    return env;
  }

  private void scheduler(String process, Path config, Path packs) {
    processes.add(JarProcess.start(process, env(config, packs, Map.of()), "scheduler"));
  }

  private void worker(String process, String name, Path config, Path packs) {
    processes.add(JarProcess.start(process, env(config, packs, Map.of("ATTUNE_WORKER_NAME", name,
        "ATTUNE_WORKER_RUNTIMES", "shell", "ATTUNE_WORKER_MAX_CONCURRENT_EXECUTIONS", "4",
        "ATTUNE_SHUTDOWN_GRACE_SECONDS", "1")), "run"));
  }

  private void kill(String process) throws InterruptedException {
    JarProcess p = processes.stream().filter(j -> j.name().equals(process)).findFirst().orElseThrow();
    stoppedOnPurpose.add(process);
    p.kill();
    p.awaitExit(30);
  }

  private void submit(SubmitExecutionService submissions, String action, int count) {
    for (int i = 0; i < count; i++) {
      Submission s = submissions.submit(action, Map.of());
      assertThat(s).isInstanceOf(Submission.Accepted.class);
      submitted.add(((Submission.Accepted) s).execution().id());
    }
  }

  private void count(String fault) {
    faults.merge(fault, 1, Integer::sum);
  }

  private long activeWorkers() {
    return db.directory().all().stream().filter(Worker::isActive).count();
  }

  private void awaitSomeRunning(int atLeast) {
    await().atMost(Duration.ofSeconds(60)).until(() -> db.directory().all().stream()
        .mapToInt(Worker::running).sum() >= atLeast);
  }

  private void awaitSomeRunningOn(String worker) {
    await().atMost(Duration.ofSeconds(60)).until(() -> db.directory().byName(worker).map(Worker::running)
        .orElse(0) > 0);
  }

  /** Publishes bytes that are no message of ours to every queue of the suite's virtual host. */
  private int garbageOnEveryQueue() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(mqUrl);
    List<String> queues = new ArrayList<>(List.of(RabbitTopology.REQUEST_QUEUE));
    for (Worker w : db.directory().all()) {
      queues.add(RabbitTopology.workerQueue(w.id()));
    }
    int published = 0;
    try (Connection connection = factory.newConnection("fault-injection"); Channel channel =
        connection.createChannel()) {
      for (String queue : queues) {
        try (Channel probe = connection.createChannel()) {
          probe.queueDeclarePassive(queue);
        } catch (IOException absent) {
          continue;
        }
        channel.basicPublish("", queue, null, "\u0000not a message {".getBytes(StandardCharsets.UTF_8));
        published++;
      }
    }
    return published;
  }
}
