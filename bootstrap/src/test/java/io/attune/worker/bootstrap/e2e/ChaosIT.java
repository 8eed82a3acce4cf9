package io.attune.worker.bootstrap.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.attune.worker.adapter.local.packs.PacksDirectoryCatalog;
import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.core.model.action.ParameterCap;
import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.port.in.SubmitExecutionUseCase.Submission;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.service.SubmitExecutionService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The randomized fault-injection mode: a seeded schedule that mixes every kind of fault the suite knows, for a given
 * time, against a steady load of submissions, then a checker over the whole history:
 *
 * <ul>
 *   <li>every execution ends, exactly once (no worker recorded two ends of one execution);
 *   <li>every start of an action belongs to an attempt that the store placed on that worker and that started
 *       (each worker's actions record their runs in a folder of that worker's own);
 *   <li>no run started after its execution ended;
 *   <li>no execution has more runs, or more placements that never started, than its bounds;
 *   <li>no process of an action is left behind, and no worker's slot count differs from what it holds;
 *   <li>no process died that no fault stopped.
 * </ul>
 *
 * <p>Every kind of fault comes once, in a seeded order, before they are drawn at random, so that even a short run
 * meets them all (it runs on until it has). {@code -Dattune.chaos.seconds=N} (default 150) and
 * {@code -Dattune.chaos.seed=S} (default: a new one, printed);
 * {@code scripts/chaos.sh --minutes N --seed S} runs it alone. The summary goes to {@code target/chaos-summary.txt},
 * which {@code scripts/test.sh} prints at its end.
 */
class ChaosIT {

  private static final Pattern WORKER_END = Pattern.compile(
      "execution (\\d+) \\([^)]+\\) attempt (\\d+) (succeeded|failed|timed_out|cancelled):");
  private static final Path SUMMARY = Path.of("target/chaos-summary.txt");
  private static final Duration LONG = Duration.ofSeconds(300);
  private static final int MAX_ATTEMPTS = 4;
  private static final int WORKER_SLOTS = 3;

  /** The kinds of fault, each injected by a method of this class. */
  enum Fault {
    WORKER_KILLED_AND_RESTARTED, WORKER_KILLED, SCHEDULER_KILLED, POSTGRES_RESTARTED, RABBITMQ_RESTARTED,
    CONNECTIONS_CUT, GARBAGE_ON_QUEUES, BUSY_WORKER_TERMINATED, WORKER_PAUSED, DATABASE_READ_ONLY, MEMORY_ALARM,
    SECOND_PROCESS_UNDER_A_NAME, OVERSIZED_MESSAGES, MISROUTED_DISPATCH
  }

  @TempDir
  Path work;

  private IsolatedSystem system;
  private Random random;
  private SubmitExecutionService submissions;
  private final List<ExecutionId> submitted = new CopyOnWriteArrayList<>();
  private final List<ExecutionId> daemons = new CopyOnWriteArrayList<>();
  private final Map<String, JarProcess> workers = new LinkedHashMap<>();
  private final Map<String, JarProcess> schedulers = new LinkedHashMap<>();
  private final List<JarProcess> stoppedOnPurpose = new ArrayList<>();
  private final List<JarProcess> refusedNames = new ArrayList<>();
  private final Map<Fault, Integer> injected = new TreeMap<>();
  private int names;

  @AfterEach
  void stopEverything() throws Exception {
    if (system != null) {
      system.mqCtl("rabbitmqctl", "set_vm_memory_high_watermark", "0.4");
      system.close();
    }
  }

  @Test
  void under_a_random_mix_of_every_fault_every_execution_ends_once_and_nothing_is_owned_twice() throws Exception {
    long seed = Long.getLong("attune.chaos.seed", new Random().nextLong());
    Duration length = Duration.ofSeconds(Long.getLong("attune.chaos.seconds", 150));
    System.out.printf("chaos: seed %d, %d s; rerun with scripts/chaos.sh --seed %d%n", seed, length.toSeconds(), seed);
    random = new Random(seed);
    system = IsolatedSystem.create("chaos", work).throughProxies();
    Files.writeString(work.resolve("attune.yaml"), "scheduler: {max_attempts: " + MAX_ATTEMPTS + "}\n");
    submissions = new SubmitExecutionService(PacksDirectoryCatalog.load(system.packs()), system.db().executions(),
        Clock.systemUTC(), ParameterCap.NONE, ExecutionEvents.NONE);
    startScheduler();
    startScheduler();
    for (int i = 0; i < 3; i++) {
      startWorker(nextName());
    }
    await().atMost(LONG).until(() -> activeWorkers() >= 3);

    // every kind once first, in a seeded order, then at random: a short run still meets them all
    List<Fault> firstRound = new ArrayList<>(List.of(Fault.values()));
    java.util.Collections.shuffle(firstRound, random);
    long end = System.nanoTime() + length.toNanos();
    long nextFault = System.nanoTime() + seconds(3, 6);
    while (System.nanoTime() < end || !firstRound.isEmpty()) {
      submitLoad();
      if (System.nanoTime() >= nextFault) {
        Fault fault = firstRound.isEmpty() ? Fault.values()[random.nextInt(Fault.values().length)]
            : firstRound.remove(0);
        inject(fault);
        injected.merge(fault, 1, Integer::sum);
        nextFault = System.nanoTime() + seconds(4, 10);
      }
      Thread.sleep(400);
    }
    heal();
    await().atMost(LONG).pollInterval(Duration.ofSeconds(1)).until(() -> submitted.stream()
        .allMatch(id -> system.execution(id).status().isTerminal()));
    check(seed, length);
  }

  // ---- the load --------------------------------------------------------------------------------------------------

  private void submitLoad() {
    try {
      submitOne();
    } catch (io.attune.worker.core.error.InfrastructureException databaseDown) {
      // the database was restarting or cut: this submission is not stored, so nothing is owed for it
      System.out.printf("chaos: a submission failed (%s)%n", databaseDown.getMessage());
    }
  }

  private void submitOne() {
    double roll = random.nextDouble();
    String action = roll < 0.05 ? "own.noisy" : roll < 0.12 ? "own.daemon" : "own.record";
    Map<String, Object> parameters = action.equals("own.noisy") ? Map.of()
        : Map.of("seconds", Math.round(random.nextDouble() * 30) / 10.0);
    Submission s = submissions.submit(action, parameters);
    assertThat(s).isInstanceOf(Submission.Accepted.class);
    ExecutionId id = ((Submission.Accepted) s).execution().id();
    submitted.add(id);
    if (action.equals("own.daemon")) {
      daemons.add(id);
    }
  }

  // ---- the faults ------------------------------------------------------------------------------------------------

  private void inject(Fault fault) throws Exception {
    System.out.printf("chaos: %s%n", fault);
    switch (fault) {
      case WORKER_KILLED_AND_RESTARTED -> {
        String name = anyWorker();
        kill(workers.get(name));
        startWorker(name, "--wait-for-name", "60");
      }
      case WORKER_KILLED -> {
        kill(workers.remove(anyWorker()));
        startWorker(nextName());
      }
      case SCHEDULER_KILLED -> {
        String name = new ArrayList<>(schedulers.keySet()).get(random.nextInt(schedulers.size()));
        kill(schedulers.remove(name));
        startScheduler();
      }
      case POSTGRES_RESTARTED -> {
        system.pgCtl("stop");
        Thread.sleep(seconds(1, 3) / 1_000_000);
        system.pgCtl("start");
      }
      case RABBITMQ_RESTARTED -> {
        system.mqCtl("rabbitmqctl", "stop_app");
        Thread.sleep(seconds(1, 3) / 1_000_000);
        system.mqCtl("rabbitmqctl", "start_app");
      }
      case CONNECTIONS_CUT -> system.cutAll();
      case GARBAGE_ON_QUEUES -> {
        for (Worker w : system.db().directory().all()) {
          system.publish(RabbitTopology.dispatchRoutingKey(w.id()), "\u0000not a message {".getBytes());
        }
        system.publish(RabbitTopology.REQUEST_ROUTING_KEY, "{\"message_id\": 3}".getBytes());
      }
      case BUSY_WORKER_TERMINATED -> {
        String name = anyWorker();
        JarProcess busy = workers.remove(name);
        stoppedOnPurpose.add(busy);
        busy.terminate();
        startWorker(nextName());
      }
      case WORKER_PAUSED -> {
        JarProcess paused = workers.get(anyWorker());
        IsolatedSystem.signal(paused.pid(), "STOP");
        Thread.sleep(seconds(3, 7) / 1_000_000);
        IsolatedSystem.signal(paused.pid(), "CONT");
      }
      case DATABASE_READ_ONLY -> {
        system.sql("ALTER DATABASE {db} SET default_transaction_read_only = on");
        system.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}' "
            + "AND pid <> pg_backend_pid()");
        Thread.sleep(seconds(2, 6) / 1_000_000);
        system.sql("ALTER DATABASE {db} RESET default_transaction_read_only");
      }
      case MEMORY_ALARM -> {
        system.mqCtl("rabbitmqctl", "set_vm_memory_high_watermark", "0.0000001");
        try {
          submitLoad();
          Thread.sleep(seconds(3, 8) / 1_000_000);
        } finally {
          system.mqCtl("rabbitmqctl", "set_vm_memory_high_watermark", "0.4");
        }
      }
      case SECOND_PROCESS_UNDER_A_NAME -> refusedNames.add(system.worker("refused-" + nextName(), anyWorker(),
          Map.of("ATTUNE_PACKS_DIR", system.packs().toString())));
      case OVERSIZED_MESSAGES -> {
        byte[] huge = IsolatedSystem.envelope("execution.dispatch", "{\"execution_id\":1,\"attempt\":1,"
            + "\"action_ref\":\"" + "x".repeat(200_000) + "\"}");
        Worker target = system.db().directory().byName(anyWorker()).orElseThrow();
        system.publish(RabbitTopology.dispatchRoutingKey(target.id()), huge);
        system.publish(RabbitTopology.REQUEST_ROUTING_KEY, huge);
      }
      case MISROUTED_DISPATCH -> {
        List<Execution> held = new ArrayList<>();
        for (Worker w : system.db().directory().all()) {
          held.addAll(system.db().executions().heldBy(w.id()));
        }
        if (!held.isEmpty()) {
          Execution e = held.get(random.nextInt(held.size()));
          List<Worker> others = system.db().directory().all().stream()
              .filter(w -> !e.worker().orElseThrow().equals(w.id())).toList();
          if (!others.isEmpty()) {
            Worker other = others.get(random.nextInt(others.size()));
            system.publish(RabbitTopology.dispatchRoutingKey(other.id()), IsolatedSystem.envelope(
                "execution.dispatch", "{\"execution_id\":" + e.id().value() + ",\"attempt\":" + e.attempt()
                    + ",\"action_ref\":\"" + e.actionRef() + "\"}"));
          }
        }
      }
      default -> throw new IllegalStateException(fault.name());
    }
  }

  /** Leaves every service up and every fault undone: what the checker needs to see everything end. */
  private void heal() throws Exception {
    system.mqCtl("rabbitmqctl", "set_vm_memory_high_watermark", "0.4");
    system.sql("ALTER DATABASE {db} RESET default_transaction_read_only");
    for (JarProcess p : system.processes()) {
      if (p.isAlive()) {
        IsolatedSystem.signal(p.pid(), "CONT");
      }
    }
  }

  // ---- the checks ------------------------------------------------------------------------------------------------

  private void check(long seed, Duration length) throws IOException {
    List<Execution> all = submitted.stream().map(system::execution).toList();
    long lost = all.stream().filter(e -> !e.status().isTerminal()).count();
    long twoEnds = endsRecordedByWorkers().values().stream().filter(n -> n > 1).count();
    Map<String, Long> workerIds = new HashMap<>();
    system.db().directory().all().forEach(w -> workerIds.put(w.name(), w.id().value()));
    List<String> foreignStarts = new ArrayList<>();
    long startsAfterEnd = 0;
    long runs = 0;
    for (Execution e : all) {
      long endedAt = e.endedAt().orElseThrow().toEpochMilli();
      for (String worker : workerIds.keySet()) {
        for (long start : system.runStarts(worker, e.id())) {
          runs++;
          startsAfterEnd += start > endedAt ? 1 : 0;
          boolean placedThere = e.attempts().stream().anyMatch(a -> a.worker().value() == workerIds.get(worker)
              && a.started());
          if (!placedThere) {
            foreignStarts.add("execution " + e.id() + " ran on " + worker + " without a started attempt there");
          }
        }
      }
    }
    List<String> beyondBounds = all.stream().filter(e -> e.runs() > MAX_ATTEMPTS
            || e.redeliveries() > AttemptLimits.DEFAULT_MAX_REDELIVERIES)
        .map(e -> e.id() + ": " + e.runs() + " runs, " + e.redeliveries() + " redeliveries").toList();
    List<String> leftBehind = new ArrayList<>();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> leftBehind(leftBehind).isEmpty());
    } catch (org.awaitility.core.ConditionTimeoutException stillThere) {
      System.out.printf("chaos: processes left behind: %s%n", leftBehind);
    }
    Map<String, Integer> leakedSlots = new TreeMap<>();
    for (Worker w : system.db().directory().all()) {
      int held = system.db().executions().heldBy(w.id()).size();
      if (w.running() != held) {
        leakedSlots.put(w.name(), w.running() - held);
      }
    }
    List<String> died = new ArrayList<>();
    int gaveUpTheirName = 0;
    for (JarProcess p : system.processes()) {
      if (p.isAlive() || stoppedOnPurpose.contains(p) || refusedNames.contains(p)) {
        continue;
      }
      if (p.log().contains("no longer holds the worker name")) {
        gaveUpTheirName++; // judged gone while alive, its name taken by another process: it stops, as it must
      } else {
        died.add(p.name() + ": " + lastLine(p.log()));
      }
    }
    List<String> notRefused = new ArrayList<>();
    for (JarProcess p : refusedNames) {
      // a second process under a name: refused (2), or it waited the name out (its holder was killed meanwhile)
      if (!p.isAlive() && !p.log().contains("is held by a live process")) {
        notRefused.add(p.name());
      }
    }
    Map<String, Long> byStatus = new TreeMap<>();
    all.forEach(e -> byStatus.merge(e.status().wireName(), 1L, Long::sum));
    long retried = all.stream().filter(e -> e.runs() > 1).count();
    String summary = String.format("chaos: seed %d, %d s, %d executions %s, %d runs; faults %s; lost %d, ended "
            + "twice %d, runs without a started attempt on their worker %d, runs started after their end %d, beyond "
            + "the bounds %d, processes left behind %d, leaked slots %d, processes died of a fault %d; executions run "
            + "more than once (at-least-once, each on an attempt of its own) %d, processes that stopped when their "
            + "name was taken over %d",
        seed, length.toSeconds(), all.size(), byStatus, runs, injected, lost, twoEnds, foreignStarts.size(),
        startsAfterEnd, beyondBounds.size(), leftBehind.size(), leakedSlots.size(), died.size(), retried,
        gaveUpTheirName);
    System.out.println(summary);
    Files.createDirectories(SUMMARY.getParent());
    Files.writeString(SUMMARY, summary + "\n");

    assertThat(lost).as("executions that never ended").isZero();
    assertThat(twoEnds).as("executions whose end two workers recorded").isZero();
    assertThat(foreignStarts).as("runs on a worker without a started attempt there").isEmpty();
    assertThat(startsAfterEnd).as("runs that started after their execution ended").isZero();
    assertThat(beyondBounds).as("executions beyond their bounds").isEmpty();
    assertThat(leftBehind).as("processes of actions left behind").isEmpty();
    assertThat(leakedSlots).as("workers whose running count differs from what they hold").isEmpty();
    assertThat(died).as("processes that exited although no fault stopped them").isEmpty();
    assertThat(notRefused).as("second processes under a live name that were not refused").isEmpty();
  }

  private static String lastLine(String log) {
    String trimmed = log.strip();
    return trimmed.substring(trimmed.lastIndexOf('\n') + 1);
  }

  /** How often workers recorded the end of each execution, from every worker process's log. */
  private Map<Long, Integer> endsRecordedByWorkers() {
    Map<Long, Integer> ends = new HashMap<>();
    for (JarProcess p : system.processes()) {
      Matcher m = WORKER_END.matcher(p.log());
      while (m.find()) {
        ExecutionId id = new ExecutionId(Long.parseLong(m.group(1)));
        if (submitted.contains(id)) {
          ends.merge(id.value(), 1, Integer::sum);
        }
      }
    }
    return ends;
  }

  /** The processes that daemonising actions started and that still run; fills {@code into}. */
  private List<String> leftBehind(List<String> into) throws IOException {
    into.clear();
    try (var folders = Files.list(system.packs().getParent())) {
      for (Path folder : folders.filter(f -> f.getFileName().toString().startsWith("packs")).toList()) {
        for (ExecutionId id : daemons) {
          Path pids = folder.resolve("runs").resolve(id + ".pids");
          if (Files.exists(pids)) {
            for (String line : Files.readAllLines(pids)) {
              if (IsolatedSystem.running(line)) {
                into.add(line + " (execution " + id + ")");
              }
            }
          }
        }
      }
    }
    return into;
  }


  // ---- the system ------------------------------------------------------------------------------------------------

  private void startScheduler() {
    String name = "chaos-scheduler-" + nextName();
    schedulers.put(name, system.start(name, Map.of("ATTUNE_CONFIG", work.resolve("attune.yaml").toString()),
        "scheduler"));
  }

  private void startWorker(String name, String... args) throws IOException {
    JarProcess process = system.worker(name + "-" + (names++), name, Map.of(
        "ATTUNE_PACKS_DIR", system.packsOf(name).toString(),
        "ATTUNE_CONFIG", work.resolve("attune.yaml").toString(),
        "ATTUNE_WORKER_MAX_CONCURRENT_EXECUTIONS", Integer.toString(WORKER_SLOTS)), args);
    workers.put(name, process);
  }

  private void kill(JarProcess process) throws Exception {
    stoppedOnPurpose.add(process);
    IsolatedSystem.signal(process.pid(), "CONT");
    process.kill();
    process.awaitExit(30);
  }

  private String anyWorker() {
    List<String> names = new ArrayList<>(workers.keySet());
    return names.get(random.nextInt(names.size()));
  }

  private String nextName() {
    return "c" + (names++);
  }

  private long activeWorkers() {
    return system.db().directory().all().stream().filter(Worker::isActive).count();
  }

  /** A random time between the bounds, in nanoseconds. */
  private long seconds(int from, int to) {
    return Duration.ofMillis(from * 1000L + random.nextInt((to - from) * 1000)).toNanos();
  }
}
