package io.attune.worker.benchmarks.system;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import io.attune.worker.benchmarks.rabbitmq.ConfirmWindow;
import io.attune.worker.benchmarks.rabbitmq.RawThroughputBenchmark;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ceiling of the execution protocol itself: executions per second when each execution does only what the
 * system's path stores and sends, with no logic around it, beside the baseline of the system benchmark it bounds,
 * measured before and after in the same run. Not a test: it prints figures and asserts nothing.
 *
 * <p>Each of {@code bench.lanes} threads repeats, per execution, the path's four writes on the real schema, each its
 * own transaction (submit, placement with the slot reservation, start, end with the slot given back; the simplified
 * forms of {@code scripts/bench-pg-writes.sh}, over plain JDBC) and the path's three persistent messages (request,
 * dispatch, result: 512 bytes each, into three durable queues, publisher confirms collected asynchronously, consumed
 * with one acknowledgement each). Nothing is decided, parsed, logged or read besides the written rows, and no message
 * waits for its confirm before the next step: no implementation that makes these writes and messages one execution
 * at a time gets more out of this machine (sharing statements between executions, as the roles do when busy, lowers
 * the database's part only).
 * <ul>
 *   <li>By default, 16 lanes, against raw persistent RabbitMQ throughput: the ceiling of {@code scripts/bench.sh
 *       overhead};</li>
 *   <li>with {@code -Dbench.spawn=true}, each lane also spawns the no-op action between start and end, as
 *       {@link DirectSpawn} does, at the system benchmark's concurrency ({@code bench.workers} &times;
 *       {@code bench.slots} lanes), against that action spawned directly at the same concurrency: the ceiling of
 *       {@code scripts/bench.sh endtoend}.</li>
 * </ul>
 * The last line says what share of this ceiling issue 12's target for the system asks.
 *
 * <p>Run both with {@code scripts/bench.sh floor}; options: {@code -Dbench.executions=6000 -Dbench.lanes=N
 * -Dbench.rawMessages=30000 -Dbench.spawn=false}. The services come from the variables that {@link BenchSettings}
 * reads.
 */
public final class BareProtocolBenchmark {

  private static final int MESSAGE_BYTES = RawThroughputBenchmark.MESSAGE_BYTES;
  /** Unconfirmed publishes a lane may have at once. */
  private static final int CONFIRM_WINDOW = 64;
  private static final int CONSUMER_PREFETCH = 256;
  private static final String ACTION = "bench.bare-protocol";
  /** JIT compile time per execution of a warm-up round under which the JIT counts as settled. */
  private static final double SETTLED_JIT_MILLIS = 0.02;
  private static final int MAX_WARM_UP_ROUNDS = 5;

  private static final String SUBMIT = "INSERT INTO execution (action_ref, requirements, parameters, status, "
      + "attempt, requested_at, status_since, attempts, reserves) VALUES ('" + ACTION + "', "
      + "'{\"action_ref\": \"" + ACTION + "\", \"runtime\": \"shell\"}', '{}', 'requested', 0, now(), now(), '[]', "
      + "'{\"slots\": 1}') RETURNING *";
  private static final String PLACE = "WITH e AS (SELECT * FROM execution WHERE id = ? FOR UPDATE), "
      + "w AS (UPDATE worker SET running = running + 1 WHERE id = ? AND running < ? RETURNING id) "
      + "UPDATE execution SET status = 'scheduled', worker = (SELECT id FROM w), attempt = 1, status_since = now() "
      + "WHERE id = ? AND status = 'requested' AND EXISTS (SELECT FROM w) RETURNING *";
  private static final String START = "WITH e AS (SELECT * FROM execution WHERE id = ? FOR UPDATE) "
      + "UPDATE execution SET status = 'running', started_at = now(), status_since = now() "
      + "WHERE id = ? AND status = 'scheduled' AND attempt = 1 RETURNING *";
  private static final String END = "WITH x AS (UPDATE execution SET status = 'succeeded', ended_at = now(), "
      + "result = '{}', exit_code = 0, stdout = '{}', stderr = '', message = 'exit status 0', status_since = now() "
      + "WHERE id = ? AND status = 'running' AND attempt = 1 RETURNING *), "
      + "w AS (UPDATE worker SET running = greatest(running - 1, 0) WHERE id = (SELECT worker FROM x)) "
      + "SELECT * FROM x";

  private BareProtocolBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    BenchSettings settings = BenchSettings.load(System.getenv());
    int executions = Integer.getInteger("bench.executions", 6_000);
    boolean spawn = Boolean.getBoolean("bench.spawn");
    int lanes = Integer.getInteger("bench.lanes", spawn ? settings.workers() * settings.slots() : 16);
    if (executions < 1 || lanes < 1) {
      throw new IllegalArgumentException("-Dbench.executions=" + executions + " -Dbench.lanes=" + lanes
          + ": expected positive numbers");
    }
    Path script = spawn ? DirectSpawn.script(settings.packsDirectory()) : null;
    PrintStream out = System.out;
    out.printf("Bare protocol: %d lanes, 4 writes and 3 confirmed persistent messages per execution%s, no logic; "
        + "%d cores; load average %s%n", lanes, spawn ? " and the no-op action spawned directly" : "",
        Runtime.getRuntime().availableProcessors(), CpuMeter.loadAverage());
    try (PostgresAdapter postgres = PostgresAdapter.connect(PostgresSettings.of(settings.databaseUrl(),
        settings.databaseUser(), settings.databasePassword()))) {
      out.println("schema: " + postgres.migrate().schemaVersion());
    }
    Baseline baseline = spawn ? new Spawns(settings.packsDirectory(), executions, lanes)
        : new RawMessages(new RabbitSettings(settings.mqUrl(), "attune-bench-raw"), settings.rawMessages());
    baseline.warmUp();
    double before = baseline.measure();
    out.printf(Locale.ROOT, "%s before: %,.0f/s%n", baseline.name(), before);

    warmUp(out, settings, executions, lanes, script);
    Run measured = run(settings, executions, lanes, script);

    double after = baseline.measure();
    out.printf(Locale.ROOT, "%s after: %,.0f/s%n", baseline.name(), after);
    double mean = (before + after) / 2;
    double ratio = measured.perSecond() / mean;
    int cores = Runtime.getRuntime().availableProcessors();
    double cpuMillis = measured.cpu().busy() * cores * measured.seconds() * 1000 / executions;
    out.printf(Locale.ROOT, "%nbare protocol: %,d executions in %.2f s: %,.0f executions/s, machine %.0f%% busy, "
        + "%.2f ms of machine CPU per execution%n", executions, measured.seconds(), measured.perSecond(),
        measured.cpu().busy() * 100, cpuMillis);
    double target = spawn ? EndToEndBenchmark.TARGET_SPAWN_RATIO : EndToEndBenchmark.TARGET_RATIO;
    out.printf(Locale.ROOT, "ratio to %s (mean %,.0f/s): %.3f; issue 12's target for the system, %.1f, is %.2f of "
        + "this ceiling%n", baseline.name(), mean, ratio, target, target / ratio);
    String name = spawn ? "floor: executions/s, bare protocol + no-op child process" : "floor: executions/s, "
        + "bare protocol (4 writes, 3 messages, no logic)";
    out.printf(Locale.ROOT, "[summary] %s|%.0f|%.0f %s/s|%.3f|-|-%n", name, measured.perSecond(), mean,
        baseline.name(), ratio);
    out.printf(Locale.ROOT, "[summary] %s|%.2f|-|-|-|-%n", spawn
        ? "floor: machine CPU per execution, bare protocol + child process (ms)"
        : "floor: machine CPU per execution, bare protocol (ms)", cpuMillis);
    out.flush();
    System.exit(0);
  }

  /**
   * Rounds of {@code executions} until the JIT compiler has settled ({@link #SETTLED_JIT_MILLIS} per execution) or
   * {@link #MAX_WARM_UP_ROUNDS} have run: a ceiling measured on code still compiling would be too low (how much
   * lower, and how the threshold was chosen: docs/benchmarks.md).
   */
  private static void warmUp(PrintStream out, BenchSettings settings, int executions, int lanes, Path script)
      throws Exception {
    for (int round = 1; round <= MAX_WARM_UP_ROUNDS; round++) {
      Run warm = run(settings, executions, lanes, script);
      double jit = warm.cpu().jit().toNanos() / 1e6 / executions;
      out.printf(Locale.ROOT, "warm-up round %d: %,.0f executions/s, JIT %.3f ms per execution%n", round,
          warm.perSecond(), jit);
      if (jit < SETTLED_JIT_MILLIS) {
        return;
      }
    }
  }

  /** What the bare protocol is compared with, measured before and after it. */
  private interface Baseline {
    String name();

    /** A short run, not counted. */
    void warmUp() throws Exception;

    /** Per second. */
    double measure() throws Exception;
  }

  /** Raw persistent RabbitMQ throughput: the baseline of the {@code overhead} benchmark. */
  private record RawMessages(RabbitSettings broker, int messages) implements Baseline {
    @Override
    public String name() {
      return "raw persistent msg";
    }

    @Override
    public void warmUp() {
      RawThroughputBenchmark.persistentMessagesPerSecond(broker, Math.min(5_000, messages));
    }

    @Override
    public double measure() {
      return RawThroughputBenchmark.persistentMessagesPerSecond(broker, messages);
    }
  }

  /** The no-op action spawned directly at the lanes' concurrency: the baseline of the {@code endtoend} one. */
  private record Spawns(Path packs, int spawns, int concurrency) implements Baseline {
    @Override
    public String name() {
      return "direct spawns";
    }

    @Override
    public void warmUp() throws Exception {
      DirectSpawn.perSecond(packs, Math.max(1, spawns / 4), concurrency);
    }

    @Override
    public double measure() throws Exception {
      return DirectSpawn.perSecond(packs, spawns, concurrency);
    }
  }

  /** One measured pass: its rate, and how busy the machine was. */
  private record Run(double seconds, double perSecond, CpuMeter.Reading cpu) {
  }

  private static Run run(BenchSettings settings, int executions, int lanes, Path script) throws Exception {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    List<String> queues = List.of("attune.bench.request." + tag, "attune.bench.dispatch." + tag,
        "attune.bench.result." + tag);
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(settings.mqUrl());
    try (com.rabbitmq.client.Connection consumers = factory.newConnection("attune-bench-bare-consumers");
         com.rabbitmq.client.Connection publishers = factory.newConnection("attune-bench-bare-publishers");
         Connection admin = connect(settings)) {
      // two workers, as in the system benchmarks, with a slot for each of their lanes
      long[] workers = new long[2];
      int capacity = (lanes + workers.length - 1) / workers.length;
      for (int i = 0; i < workers.length; i++) {
        workers[i] = registerWorker(admin, "bench-bare-" + tag + "-" + (i + 1), capacity);
      }
      CountDownLatch delivered = new CountDownLatch(executions * queues.size());
      for (String queue : queues) {
        Channel channel = consumers.createChannel();
        channel.queueDeclare(queue, true, false, true, null);
        channel.basicQos(CONSUMER_PREFETCH);
        channel.basicConsume(queue, false, new DefaultConsumer(channel) {
          @Override
          public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
              byte[] body) throws IOException {
            getChannel().basicAck(envelope.getDeliveryTag(), false);
            delivered.countDown();
          }
        });
      }
      AtomicInteger left = new AtomicInteger(executions);
      ExecutorService pool = Executors.newFixedThreadPool(lanes);
      try {
        CpuMeter cpu = CpuMeter.start();
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
          long worker = workers[lane % workers.length];
          running.add(pool.submit(() -> lane(settings, publishers.createChannel(), queues, worker, capacity,
              script, left)));
        }
        for (Future<?> lane : running) {
          lane.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (!delivered.await(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException(delivered.getCount() + " messages were not delivered within "
              + settings.timeout());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(seconds, executions / seconds, cpu.stop());
      } finally {
        pool.shutdownNow();
        try (Channel cleanup = consumers.createChannel()) {
          for (String queue : queues) {
            cleanup.queueDelete(queue);
          }
        }
        clean(admin, tag);
      }
    }
  }

  /** One lane: executions one after another, until none is left. */
  private static Void lane(BenchSettings settings, Channel channel, List<String> queues, long worker,
      int capacity, Path script, AtomicInteger left) throws Exception {
    ConfirmWindow window = new ConfirmWindow(CONFIRM_WINDOW);
    channel.confirmSelect();
    channel.addConfirmListener(window);
    AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2)
        .contentType("application/json").build();
    byte[] body = new byte[MESSAGE_BYTES];
    try (Connection db = connect(settings);
         PreparedStatement submit = db.prepareStatement(SUBMIT);
         PreparedStatement place = db.prepareStatement(PLACE);
         PreparedStatement start = db.prepareStatement(START);
         PreparedStatement end = db.prepareStatement(END)) {
      while (left.getAndDecrement() > 0) {
        long id;
        try (ResultSet row = submit.executeQuery()) {
          row.next();
          id = row.getLong("id");
        }
        publish(channel, window, queues.get(0), persistent, body);
        place.setLong(1, id);
        place.setLong(2, worker);
        place.setInt(3, capacity);
        place.setLong(4, id);
        expectRow(place, "placement of " + id);
        publish(channel, window, queues.get(1), persistent, body);
        start.setLong(1, id);
        start.setLong(2, id);
        expectRow(start, "start of " + id);
        if (script != null) {
          DirectSpawn.spawn(script);
        }
        end.setLong(1, id);
        expectRow(end, "end of " + id);
        publish(channel, window, queues.get(2), persistent, body);
      }
      channel.waitForConfirmsOrDie(settings.timeout().toMillis());
    }
    return null;
  }

  private static void publish(Channel channel, ConfirmWindow window, String queue, AMQP.BasicProperties properties,
      byte[] body) throws IOException, InterruptedException {
    window.beforePublish(channel);
    channel.basicPublish("", queue, properties, body);
  }

  private static void expectRow(PreparedStatement statement, String what) throws SQLException {
    try (ResultSet row = statement.executeQuery()) {
      if (!row.next()) {
        throw new IllegalStateException(what + " changed no row: the lanes outran the workers' capacity");
      }
    }
  }

  private static long registerWorker(Connection admin, String name, int capacity) throws SQLException {
    try (PreparedStatement insert = admin.prepareStatement("INSERT INTO worker (name, worker_type, host, status, "
        + "capabilities, heartbeat_interval_seconds, last_heartbeat) VALUES (?, 'local', 'bench', 'active', "
        + "?::jsonb, 10, now()) RETURNING id")) {
      insert.setString(1, name);
      insert.setString(2, "{\"runtimes\": [\"shell\"], \"max_concurrent_executions\": " + capacity + "}");
      try (ResultSet row = insert.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private static void clean(Connection admin, String tag) throws SQLException {
    try (PreparedStatement executions = admin.prepareStatement("DELETE FROM execution WHERE worker IN "
        + "(SELECT id FROM worker WHERE name LIKE ?) OR (action_ref = ? AND worker IS NULL)");
         PreparedStatement workers = admin.prepareStatement("DELETE FROM worker WHERE name LIKE ?")) {
      executions.setString(1, "bench-bare-" + tag + "-%");
      executions.setString(2, ACTION);
      executions.executeUpdate();
      workers.setString(1, "bench-bare-" + tag + "-%");
      workers.executeUpdate();
    }
  }

  private static Connection connect(BenchSettings settings) throws SQLException {
    return DriverManager.getConnection(settings.databaseUrl(), settings.databaseUser(),
        settings.databasePassword());
  }
}
