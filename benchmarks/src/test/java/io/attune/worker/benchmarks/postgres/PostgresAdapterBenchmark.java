package io.attune.worker.benchmarks.postgres;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.placement.PlacementDecision;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.service.ScheduleExecutionService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A harness, not a test: against the test PostgreSQL, measures the adapter's heartbeat writes beside a plain JDBC
 * {@code UPDATE worker SET last_heartbeat = now() WHERE id = ?} on the same table in the same run, and counts with
 * pg_stat_statements the SQL statements one scheduling decision costs.
 *
 * <p>Options (system properties): {@code -Dworkers=1000 -Dseconds=5 -Drounds=3 -Dthreads=2 -Dwarmup=10}.
 */
public final class PostgresAdapterBenchmark {

  private static final int WORKERS = Integer.getInteger("workers", 1000);
  private static final int SECONDS = Integer.getInteger("seconds", 5);
  private static final int ROUNDS = Integer.getInteger("rounds", 3);
  private static final int THREADS = Integer.getInteger("threads", 2);
  /** Seconds each variant runs before measuring, so that the JIT has compiled the paths. */
  private static final int WARMUP = Integer.getInteger("warmup", 10);
  private static final String DATABASE = "attune_bench";
  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();
  /** Client CPU microseconds per write of the last round of each variant. */
  private static final Map<String, Double> CPU_PER_WRITE = new java.util.concurrent.ConcurrentHashMap<>();

  private PostgresAdapterBenchmark() {
  }

  /** Writes are done per worker id; each thread owns a slice of the ids. */
  private interface Beat extends AutoCloseable {
    void beat(long workerId) throws SQLException;

    @Override
    default void close() throws SQLException {
    }
  }

  public static void main(String[] args) throws Exception {
    PostgresSettings admin = PostgresSettings.of(required("ATTUNE_TEST_DATABASE_URL"),
        System.getenv().getOrDefault("ATTUNE_TEST_DATABASE_USER", "postgres"),
        System.getenv().getOrDefault("ATTUNE_TEST_DATABASE_PASSWORD", ""));
    try (Connection c = DriverManager.getConnection(admin.url(), admin.user(), admin.password());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + DATABASE);
    }
    String url = admin.url().replaceFirst("/[^/?]+(\\?|$)", "/" + DATABASE + "$1");
    PostgresSettings settings = new PostgresSettings(url, admin.user(), admin.password(), THREADS + 2);
    try (PostgresAdapter adapter = PostgresAdapter.connect(settings)) {
      adapter.migrate();
      List<Long> ids = registerFleet(adapter);
      System.out.printf(Locale.ROOT, "PostgreSQL %s, %d workers, %d threads, %d rounds of %d s each%n",
          version(adapter), WORKERS, THREADS, ROUNDS, SECONDS);
      heartbeats(adapter, ids);
      statementsPerHeartbeat(adapter, ids);
      statementsPerDecision(adapter);
    }
  }

  private static List<Long> registerFleet(PostgresAdapter adapter) {
    List<Long> ids = new ArrayList<>();
    List<List<RuntimeName>> profiles = List.of(List.of(RuntimeName.SHELL, RuntimeName.PYTHON),
        List.of(RuntimeName.SHELL, RuntimeName.NODE), List.of(RuntimeName.SHELL, RuntimeName.PYTHON, RuntimeName.NODE),
        List.of(RuntimeName.NATIVE, RuntimeName.SHELL));
    Instant now = Instant.now();
    for (int i = 0; i < WORKERS; i++) {
      Capabilities capabilities = Capabilities.builder().runtimes(profiles.get(i % profiles.size()))
          .label("zone", i % 2 == 0 ? "east" : "west").maxConcurrentExecutions(10).build();
      Worker w = adapter.registry().register(new WorkerRegistration(String.format(Locale.ROOT, "worker-%05d", i),
          WorkerType.CONTAINER, "host-" + i, capabilities, Duration.ofSeconds(30)), now);
      ids.add(w.id().value());
    }
    return ids;
  }

  private static void heartbeats(PostgresAdapter adapter, List<Long> ids) throws Exception {
    Beat viaAdapter = id -> adapter.registry().heartbeat(new WorkerId(id), Instant.now());
    // the baseline: one connection per thread, one prepared statement reused, autocommit
    String plainSql = "UPDATE worker SET last_heartbeat = now() WHERE id = ?";
    double[] adapterRates = new double[ROUNDS];
    double[] plainRates = new double[ROUNDS];
    double[] pooledRates = new double[ROUNDS];
    // between the two: plain JDBC that borrows a pooled connection and prepares the statement for every write,
    // as the adapter does, to tell the pool's share of the cost from jOOQ's
    Beat pooled = id -> {
      try (Connection c = adapter.dataSource().getConnection(); PreparedStatement u = c.prepareStatement(plainSql)) {
        u.setLong(1, id);
        u.executeUpdate();
      }
    };
    long[] hot = hotUpdates(adapter);
    run("warm-up adapter", ids, () -> viaAdapter, WARMUP);
    run("warm-up plain", ids, () -> plain(adapter, plainSql), WARMUP / 2);
    run("warm-up pooled", ids, () -> pooled, WARMUP / 2);
    for (int round = 0; round < ROUNDS; round++) {
      // alternate, so that drift of the machine hits both alike
      adapterRates[round] = run("adapter", ids, () -> viaAdapter, SECONDS);
      plainRates[round] = run("plain JDBC", ids, () -> plain(adapter, plainSql), SECONDS);
      pooledRates[round] = run("pooled JDBC", ids, () -> pooled, SECONDS);
    }
    long[] hotAfter = hotUpdates(adapter);
    double a = median(adapterRates);
    double p = median(plainRates);
    System.out.println();
    System.out.println("Heartbeat writes (median of rounds)");
    System.out.printf(Locale.ROOT, "  adapter registry.heartbeat          %,10.0f /s   rounds %s%n", a,
        Arrays.toString(rounded(adapterRates)));
    System.out.printf(Locale.ROOT, "  plain JDBC UPDATE ... last_heartbeat %,10.0f /s   rounds %s%n", p,
        Arrays.toString(rounded(plainRates)));
    System.out.printf(Locale.ROOT, "  pooled JDBC, same UPDATE per borrow  %,10.0f /s   rounds %s%n",
        median(pooledRates), Arrays.toString(rounded(pooledRates)));
    System.out.printf(Locale.ROOT, "  ratio adapter / plain                %10.2f%n", a / p);
    System.out.printf(Locale.ROOT, "  client CPU per write: adapter %.0f us, plain %.0f us, pooled %.0f us%n",
        CPU_PER_WRITE.get("adapter"), CPU_PER_WRITE.get("plain JDBC"), CPU_PER_WRITE.get("pooled JDBC"));
    long updates = hotAfter[0] - hot[0];
    System.out.printf(Locale.ROOT, "  HOT updates on worker                %9.1f %% of %,d%n",
        updates == 0 ? 0.0 : 100.0 * (hotAfter[1] - hot[1]) / updates, updates);
  }

  private static Beat plain(PostgresAdapter adapter, String sql) throws SQLException {
    Connection connection = adapter.dataSource().getConnection();
    PreparedStatement update = connection.prepareStatement(sql);
    return new Beat() {
      @Override
      public void beat(long id) throws SQLException {
        update.setLong(1, id);
        update.executeUpdate();
      }

      @Override
      public void close() throws SQLException {
        update.close();
        connection.close();
      }
    };
  }

  private interface BeatFactory {
    Beat open() throws SQLException;
  }

  /** Runs the threads for the given time, each over its own slice of worker ids; returns writes per second. */
  private static double run(String name, List<Long> ids, BeatFactory factory, int seconds) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    LongAdder writes = new LongAdder();
    LongAdder cpuNanos = new LongAdder();
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int slice = t;
      Thread thread = new Thread(() -> {
        try (Beat beat = factory.open()) {
          ready.countDown();
          go.await();
          long cpuStart = CPU.getCurrentThreadCpuTime();
          int i = slice;
          while (!stop.get()) {
            beat.beat(ids.get(i));
            writes.increment();
            i += THREADS;
            if (i >= ids.size()) {
              i = slice;
            }
          }
          cpuNanos.add(CPU.getCurrentThreadCpuTime() - cpuStart);
        } catch (Exception e) {
          failures.add(e);
          ready.countDown();
        }
      }, "bench-" + name + "-" + t);
      threads.add(thread);
      thread.start();
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    long count = writes.sum();
    double elapsed = (System.nanoTime() - start) / 1e9;
    for (Thread thread : threads) {
      thread.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException(name + " failed", failures.get(0));
    }
    CPU_PER_WRITE.merge(name, cpuNanos.sum() / 1000.0 / Math.max(1, count), (x, y) -> y);
    return count / elapsed;
  }

  private static void statementsPerHeartbeat(PostgresAdapter adapter, List<Long> ids) throws Exception {
    try (Connection c = adapter.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    }
    reset(adapter);
    for (int i = 0; i < 100; i++) {
      adapter.registry().heartbeat(new WorkerId(ids.get(i % ids.size())), Instant.now());
    }
    System.out.println();
    print("SQL statements for 100 adapter heartbeats", statements(adapter));
  }

  private static void statementsPerDecision(PostgresAdapter adapter) throws Exception {
    try (Connection c = adapter.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    }
    ExecutionStore executions = adapter.executions();
    PlacementPolicy policy = PlacementPolicy.standard();
    ActionRequirements action = ActionRequirements.of("bench.hello", RuntimeName.PYTHON);
    // warm every path once so that nothing first-time (pool, prepared statements) is counted
    decide(adapter, policy, executions.create(new ExecutionRequest(action, Map.of()), Instant.now()));
    Execution next = executions.create(new ExecutionRequest(action, Map.of("n", 1)), Instant.now());

    reset(adapter);
    PlacementDecision decision = decide(adapter, policy, next);
    List<String[]> decideStatements = statements(adapter);

    ScheduleExecutionService scheduler = new ScheduleExecutionService(adapter.directory(), executions, (execution,
        worker) -> {
    }, policy, Clock.systemUTC(), ExecutionObserver.NONE, AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS),
        ExecutionEvents.NONE);
    Execution another = executions.create(new ExecutionRequest(action, Map.of("n", 2)), Instant.now());
    scheduler.schedule(executions.create(new ExecutionRequest(action, Map.of("n", 3)), Instant.now()).id());
    reset(adapter);
    Scheduling scheduled = scheduler.schedule(another.id());
    List<String[]> serviceStatements = statements(adapter);

    System.out.println();
    System.out.printf(Locale.ROOT, "SQL statements to place one execution (pg_stat_statements, %d candidates)%n",
        adapter.directory().candidatesFor(action).size());
    print("  candidatesFor + decide + assign (" + decision.outcome().wireName() + ")", decideStatements);
    print("  ScheduleExecutionService.schedule: find + candidatesFor + assign ("
        + scheduled.getClass().getSimpleName() + ")", serviceStatements);
  }

  private static PlacementDecision decide(PostgresAdapter adapter, PlacementPolicy policy, Execution execution) {
    Instant now = Instant.now();
    PlacementDecision decision = policy.decide(execution.requirements(),
        adapter.directory().candidatesFor(execution.requirements()), now);
    decision.selected().ifPresent(w -> adapter.executions().assign(execution.id(), w.id(), now));
    return decision;
  }

  private static void reset(PostgresAdapter adapter) throws SQLException {
    try (Connection c = adapter.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("SELECT pg_stat_statements_reset()");
    }
  }

  private static List<String[]> statements(PostgresAdapter adapter) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    try (Connection c = adapter.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT calls, query FROM pg_stat_statements"
            + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
            + " AND query NOT LIKE '%pg_stat_statements%' ORDER BY query")) {
      while (r.next()) {
        rows.add(new String[] {r.getString(1), r.getString(2)});
      }
    }
    return rows;
  }

  private static void print(String title, List<String[]> statements) {
    long total = statements.stream().mapToLong(s -> Long.parseLong(s[0])).sum();
    System.out.printf(Locale.ROOT, "%s: %d statements%n", title, total);
    for (String[] s : statements) {
      String sql = s[1].replaceAll("\\s+", " ");
      System.out.printf(Locale.ROOT, "      %s x %s%n", s[0], sql.length() > 110 ? sql.substring(0, 110) + "..." : sql);
    }
  }

  private static long[] hotUpdates(PostgresAdapter adapter) throws SQLException {
    try (Connection c = adapter.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("SELECT pg_stat_force_next_flush()");
      try (ResultSet r = s.executeQuery(
          "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'worker'")) {
        r.next();
        return new long[] {r.getLong(1), r.getLong(2)};
      }
    }
  }

  private static String version(PostgresAdapter adapter) throws SQLException {
    try (Connection c = adapter.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SHOW server_version")) {
      r.next();
      return r.getString(1);
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }

  private static long[] rounded(double[] values) {
    return Arrays.stream(values).mapToLong(Math::round).toArray();
  }

  private static String required(String variable) {
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(variable + " is not set: run through scripts/test-services.sh");
    }
    return value;
  }
}
