package io.attune.worker.bootstrap.e2e;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.bootstrap.cli.CliRun;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.testsupport.services.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A system of real {@code java -jar} processes on a database and a RabbitMQ virtual host of its own, for a test that
 * injects faults: nothing of another test mixes in, and what one test breaks (a read-only database, a deleted queue)
 * stays its own. Its sample pack {@code own} has actions that record every run ({@link #runStarts}).
 */
final class IsolatedSystem implements AutoCloseable {

  private static final AtomicLong COUNT = new AtomicLong();

  private final TestServices services;
  private final String database;
  private final String databaseUrl;
  private final String vhost;
  private final String mqUrl;
  private final Path packs;
  private final PostgresAdapter db;
  private final List<JarProcess> processes = new ArrayList<>();
  /** When set, the processes reach the services through these, which a test can cut. */
  private FaultProxy databaseProxy;
  private FaultProxy brokerProxy;

  private IsolatedSystem(TestServices services, String database, String databaseUrl, String vhost, String mqUrl,
      Path packs, PostgresAdapter db) {
    this.services = services;
    this.database = database;
    this.databaseUrl = databaseUrl;
    this.vhost = vhost;
    this.mqUrl = mqUrl;
    this.packs = packs;
    this.db = db;
  }

  /** A new database and virtual host named after {@code prefix}, migrated, with the sample pack under {@code work}. */
  static IsolatedSystem create(String prefix, Path work) throws Exception {
    TestServices services = TestServices.require();
    String name = prefix + "_" + ProcessHandle.current().pid() + "_" + COUNT.incrementAndGet();
    String databaseUrl = services.createDatabase(name);
    String mqUrl = services.createVirtualHost(name);
    PostgresAdapter db = PostgresAdapter.connect(PostgresSettings.of(databaseUrl, services.databaseUser(),
        services.databasePassword()));
    db.migrate();
    return new IsolatedSystem(services, name, databaseUrl, name, mqUrl, writePacks(work), db);
  }

  /** The pack {@code own}: {@code own.record} records a start line, sleeps {@code seconds}, records an end line. */
  private static Path writePacks(Path work) throws IOException {
    Path packs = work.resolve("packs");
    Path actions = Files.createDirectories(packs.resolve("own/actions"));
    Path runs = Files.createDirectories(packs.resolve("runs"));
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(runs, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.writeString(actions.resolve("record.sh"), """
        #!/bin/sh
        seconds=$(sed -n 's/.*"seconds" *: *"\\{0,1\\}\\([0-9.]*\\).*/\\1/p')
        runs="$ATTUNE_PACK_DIR/../runs/$ATTUNE_EXECUTION_ID"
        echo "start $(date +%s%3N)" >> "$runs"
        sleep "${seconds:-0.2}"
        echo "end $(date +%s%3N)" >> "$runs"
        echo '{"recorded": true}'
        """);
    Files.writeString(actions.resolve("record.yaml"), sleepingShellAction("record.sh"));
    // own.daemon: leaves processes behind the way daemons do (a double fork, a new session), then sleeps
    Files.writeString(actions.resolve("daemon.sh"), """
        #!/bin/sh
        seconds=$(sed -n 's/.*"seconds" *: *"\\{0,1\\}\\([0-9.]*\\).*/\\1/p')
        pids="$ATTUNE_PACK_DIR/../runs/$ATTUNE_EXECUTION_ID.pids"
        # each process as "pid start", its start time in clock ticks since boot: a process id alone may be reused
        started() { echo "$1 $(cut -d' ' -f22 "/proc/$1/stat")" >> "$pids"; }
        started $$
        ( ( sleep 300 & started $! ) & )
        setsid sh -c 'echo "$$ $(cut -d" " -f22 /proc/$$/stat)" >> "$1"; exec sleep 300' daemon "$pids" &
        sleep "${seconds:-0.2}"
        """);
    Files.writeString(actions.resolve("daemon.yaml"), sleepingShellAction("daemon.sh"));
    // own.noisy: NUL characters and 3 MB of output
    Files.writeString(actions.resolve("noisy.sh"), """
        #!/bin/sh
        cat > /dev/null
        echo "start $(date +%s%3N)" >> "$ATTUNE_PACK_DIR/../runs/$ATTUNE_EXECUTION_ID"
        printf 'before\\000after\\000\\n'
        head -c 3000000 /dev/zero | tr '\\000' 'x'
        printf 'err\\000\\n' >&2
        """);
    Files.writeString(actions.resolve("noisy.yaml"), "runtime: shell\nentry_point: noisy.sh\ntimeout_seconds: 60\n");
    // own.attach: speaks HotSpot's attach protocol to the worker JVM above it and asks for a heap dump
    Files.writeString(actions.resolve("attach.py"), ATTACH);
    for (String door : List.of("open", "closed")) {
      Files.writeString(actions.resolve("attach_" + door + ".yaml"), "runtime: python\nentry_point: attach.py\n"
          + "timeout_seconds: 120\nplacement: {selector: {door: " + door + "}}\n");
    }
    return packs;
  }

  /** A shell action with a {@code seconds} parameter (0.2 by default) and a two-minute timeout. */
  private static String sleepingShellAction(String entryPoint) {
    return "runtime: shell\nentry_point: " + entryPoint + "\ntimeout_seconds: 120\nparameters:\n"
        + "  seconds: {type: number, default: 0.2}\n";
  }

  /**
   * What an action needs to take a worker's heap dump without a JDK: find the JVM among its ancestors, touch
   * {@code .attach_pid<pid>}, send SIGQUIT, connect to {@code /tmp/.java_pid<pid>} and ask for {@code dumpheap}.
   * Prints one JSON object: whether it attached and where the dump went.
   */
  private static final String ATTACH = """
      import json, os, signal, socket, sys, time
      def parent(pid):
          return int(open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()[1])
      pid = os.getppid()
      while pid > 1:
          command = open("/proc/%d/cmdline" % pid, "rb").read().split(b"\\0")[0]
          if command.endswith(b"java"):
              break
          pid = parent(pid)
      result = {"jvm": pid, "attached": False}
      path = "/tmp/.java_pid%d" % pid
      try:
          if not os.path.exists(path):
              open("/tmp/.attach_pid%d" % pid, "w").close()
              os.kill(pid, signal.SIGQUIT)
              for _ in range(100):
                  if os.path.exists(path):
                      break
                  time.sleep(0.1)
          dump = "/tmp/attune-heap-%s.hprof" % os.environ.get("ATTUNE_EXECUTION_ID", "x")
          s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
          s.connect(path)
          s.sendall(b"1\\0dumpheap\\0" + dump.encode() + b"\\0\\0\\0")
          answer = b""
          while True:
              chunk = s.recv(4096)
              if not chunk:
                  break
              answer += chunk
          result["attached"] = True
          result["answer"] = answer.decode(errors="replace")[:200]
          result["dump"] = dump
      except Exception as failed:
          result["error"] = repr(failed)
      print(json.dumps(result))
      """;

  /** Every process started through this system, in order. */
  List<JarProcess> processes() {
    return List.copyOf(processes);
  }

  PostgresAdapter db() {
    return db;
  }

  String database() {
    return database;
  }

  Path packs() {
    return packs;
  }

  /** From now on, processes started reach PostgreSQL and RabbitMQ through proxies that {@link #cutAll} cuts. */
  IsolatedSystem throughProxies() {
    URI postgres = URI.create(databaseUrl.substring("jdbc:".length()));
    URI broker = URI.create(mqUrl);
    databaseProxy = FaultProxy.start(postgres.getHost(), postgres.getPort());
    brokerProxy = FaultProxy.start(broker.getHost(), broker.getPort());
    return this;
  }

  /** Cuts every connection through the proxies at once: how many there were. */
  int cutAll() {
    return databaseProxy.cutAll() + brokerProxy.cutAll();
  }

  private static String through(String url, FaultProxy proxy) {
    URI service = URI.create(url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url);
    return proxy == null ? url : url.replace(service.getHost() + ":" + service.getPort(), "127.0.0.1:" + proxy.port());
  }

  /** The environment of a process of this system: its database, virtual host and packs, plus {@code extra}. */
  Map<String, String> env(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(JarProcess.baseEnvironment(services, Map.of()));
    env.put("ATTUNE_DATABASE_URL", through(databaseUrl, databaseProxy));
    env.put("ATTUNE_MQ_URL", through(mqUrl, brokerProxy));
    env.put("ATTUNE_PACKS_DIR", packs.toString());
    env.put("ATTUNE_DISPATCH_TIMEOUT_SECONDS", "10");
    env.putAll(extra);
    return env;
  }

  JarProcess scheduler(String process) {
    return start(process, Map.of(), "scheduler");
  }

  /** A shell worker with two slots, named {@code name}. */
  JarProcess worker(String process, String name, Map<String, String> extra, String... moreArgs) {
    Map<String, String> env = new HashMap<>(Map.of("ATTUNE_WORKER_NAME", name, "ATTUNE_WORKER_RUNTIMES", "shell",
        "ATTUNE_WORKER_MAX_CONCURRENT_EXECUTIONS", "2", "ATTUNE_SHUTDOWN_GRACE_SECONDS", "1"));
    env.putAll(extra);
    List<String> args = new ArrayList<>(List.of("run"));
    args.addAll(List.of(moreArgs));
    return start(process, env, args.toArray(String[]::new));
  }

  JarProcess start(String process, Map<String, String> extra, String... args) {
    JarProcess started = JarProcess.start(process, env(extra), args);
    processes.add(started);
    return started;
  }

  /** The command line in this JVM, against this system. */
  CliRun cli(String... args) {
    return CliRun.of(env(Map.of()), args);
  }

  /** Submits {@code own.record} through the command line (stored and announced as a user's submit is). */
  ExecutionId submit(double seconds) {
    CliRun run = cli("submit", "own.record", "--param", "seconds=" + seconds, "--json");
    if (run.status() != 0) {
      throw new AssertionError("submit failed with " + run.status() + ": " + run.err());
    }
    String digits = run.out().replaceAll("(?s).*\"execution_id\"\\s*:\\s*(\\d+).*", "$1");
    return new ExecutionId(Long.parseLong(digits.trim()));
  }

  /** The AMQP URL of this system's virtual host. */
  String mqUrl() {
    return mqUrl;
  }

  Execution execution(ExecutionId id) {
    return db.executions().find(id).orElseThrow();
  }

  Execution awaitEnded(ExecutionId id, Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(250)).until(() -> execution(id).status().isTerminal());
    return execution(id);
  }

  Worker awaitWorker(String name, java.util.function.Predicate<Worker> condition, Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(250))
        .until(() -> db.directory().byName(name).filter(condition).isPresent());
    return db.directory().byName(name).orElseThrow();
  }

  /**
   * A copy of the packs for one worker, in a folder of its own, so that the runs its actions record are known to be
   * its own ({@link #runStarts(String, ExecutionId)}).
   */
  Path packsOf(String worker) throws IOException {
    Path own = packs.resolveSibling("packs-" + worker);
    Path actions = Files.createDirectories(own.resolve("own/actions"));
    try (var files = Files.list(packs.resolve("own/actions"))) {
      for (Path file : files.toList()) {
        Files.copy(file, actions.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path runs = Files.createDirectories(own.resolve("runs"));
    Files.setPosixFilePermissions(runs, PosixFilePermissions.fromString("rwxrwxrwx"));
    return own;
  }

  /** The instants at which a run of the execution started on the worker of {@link #packsOf}. */
  List<Long> runStarts(String worker, ExecutionId id) {
    return starts(packs.resolveSibling("packs-" + worker).resolve("runs").resolve(id.toString()));
  }

  /** The instants at which a run of the execution started, from the file {@code own.record} keeps. */
  List<Long> runStarts(ExecutionId id) {
    return starts(packs.resolve("runs").resolve(id.toString()));
  }

  private static List<Long> starts(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> l.startsWith("start "))
          .map(l -> Long.parseLong(l.substring(6).trim())).toList() : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs SQL on this system's database as the test services' administrator. */
  void sql(String statement) throws Exception {
    try (var connection = DriverManager.getConnection(services.databaseUrl(), services.databaseUser(),
        services.databasePassword()); var s = connection.createStatement()) {
      s.execute(statement.replace("{db}", database));
    }
  }

  void mqCtl(String... args) {
    services.mq(args);
  }

  void pgCtl(String... args) {
    services.pg(args);
  }

  /** Publishes raw bytes to the executions exchange of this system's virtual host. */
  void publish(String routingKey, byte[] body) throws Exception {
    try (Connection connection = factory().newConnection("fault-test"); Channel channel = connection.createChannel()) {
      channel.confirmSelect();
      channel.basicPublish(RabbitTopology.EXECUTIONS_EXCHANGE, routingKey, new AMQP.BasicProperties.Builder()
          .messageId(UUID.randomUUID().toString()).contentType("application/json").deliveryMode(2).build(), body);
      channel.waitForConfirmsOrDie(30_000);
    }
  }

  /** An envelope as the system's own publishers write it. */
  static byte[] envelope(String type, String payload) {
    return ("{\"message_id\":\"" + UUID.randomUUID() + "\",\"message_type\":\"" + type + "\",\"timestamp\":\""
        + java.time.Instant.now() + "\",\"payload\":" + payload + "}").getBytes(StandardCharsets.UTF_8);
  }

  /** Takes every message off the dead-letter queue: the reason header of each. */
  List<String> deadLetterReasons() throws Exception {
    List<String> reasons = new ArrayList<>();
    try (Connection connection = factory().newConnection("fault-test"); Channel channel = connection.createChannel()) {
      GetResponse message;
      while ((message = channel.basicGet(RabbitTopology.DEAD_LETTER_QUEUE, true)) != null) {
        Object reason = message.getProps().getHeaders() == null ? null
            : message.getProps().getHeaders().get(RabbitTopology.REJECT_REASON_HEADER);
        reasons.add(String.valueOf(reason));
      }
    }
    return reasons;
  }

  ConnectionFactory factory() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(mqUrl);
    return factory;
  }

  /**
   * The process of a line {@code "pid start"} that an action wrote (start in clock ticks since boot, field 22 of
   * {@code /proc/<pid>/stat}) still runs: alive, not a zombie (a zombie has ended; only its parent has yet to reap
   * it), and not another process that was given the same id since.
   */
  static boolean running(String pidAndStart) {
    String[] fields = pidAndStart.trim().split("\\s+");
    try {
      String stat = Files.readString(Path.of("/proc", fields[0], "stat"));
      String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      char state = after[0].charAt(0);
      // after the name: state is field 3, start time field 22
      boolean same = fields.length < 2 || after[19].equals(fields[1]);
      return same && state != 'Z' && state != 'X';
    } catch (IOException gone) {
      return false;
    }
  }

  /** Sends a signal to a process by its id ({@code STOP}, {@code CONT}, {@code KILL}). */
  static void signal(long pid, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -" + signal + " " + pid + " failed");
    }
  }

  @Override
  public void close() throws Exception {
    for (JarProcess p : processes) {
      if (p.isAlive()) {
        signal(p.pid(), "CONT"); // a process left stopped would never see its SIGKILL handled by the test
      }
      p.kill();
    }
    for (JarProcess p : processes) {
      if (p.isAlive()) {
        p.awaitExit(30);
      }
    }
    db.close();
    for (FaultProxy proxy : new FaultProxy[] {databaseProxy, brokerProxy}) {
      if (proxy != null) {
        proxy.close();
      }
    }
  }
}
