package io.attune.worker.benchmarks.system;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import io.attune.worker.core.fleet.FleetView;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.port.out.WorkerDirectory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Placements per second through the real scheduler path at fleet scale: {@code ScheduleExecutionService} on
 * PostgreSQL (fleet view over the registry's change feed, execution store) and RabbitMQ (dispatch with publisher
 * confirms to each worker's own queue), with 10, 1,000 and 10,000 registered workers of mixed runtimes, versions and
 * labels. The BASELINE, measured in the same run on the same data: the same path deciding on
 * {@code PostgresAdapter.directory()}, which reads every candidate row per decision. Not a test: it asserts no speed;
 * it does check, after every run, that no worker holds more than its capacity and no execution was placed twice.
 *
 * <p>Each fleet size runs, in order: a warm-up; the sweep's path ({@code ReconcileExecutionsService} placing its
 * page {@code bench.concurrency} at a time, on the view, then on the baseline directory); the request path (one
 * {@code schedule(id)} after another, on the view, then on the baseline); and two schedulers at once, each with its
 * own adapters, view and sweep, over one set of waiting executions.
 *
 * <p>Run it with {@code scripts/bench.sh fleet}. Options: {@code -Dbench.fleets=10,1000,10000}
 * {@code -Dbench.placements=2000} {@code -Dbench.baselinePlacements=400} (the old path is slow at 10,000 workers)
 * {@code -Dbench.concurrency=4} {@code -Dbench.warmUp=600} {@code -Dbench.stalenessMs=200}.
 */
public final class PlacementAtScaleBenchmark {

  private static final String DATABASE = "attune_fleet_bench";

  private PlacementAtScaleBenchmark() {
  }

  /**
   * What to run.
   *
   * @param fleets the fleet sizes
   * @param placements placements measured per run on the view
   * @param baselinePlacements placements measured per run on the baseline directory
   * @param concurrency placements at once in the sweep (per scheduler)
   * @param warmUp placements per fleet size before measuring, not counted
   * @param staleness the fleet view's maximum staleness
   */
  record Options(List<Integer> fleets, int placements, int baselinePlacements, int concurrency, int warmUp,
      Duration staleness) {

    static Options fromSystemProperties() {
      List<Integer> fleets = Arrays.stream(System.getProperty("bench.fleets", "10,1000,10000").split(","))
          .map(String::trim).map(Integer::valueOf).toList();
      return new Options(fleets, Integer.getInteger("bench.placements", 2000),
          Integer.getInteger("bench.baselinePlacements", 400), Integer.getInteger("bench.concurrency", 4),
          Integer.getInteger("bench.warmUp", 600), Duration.ofMillis(Integer.getInteger("bench.stalenessMs", 200)));
    }

    /** Every placement one fleet size makes: slots enough for all of them, with room to spare. */
    int perFleet() {
      return warmUp + 3 * placements + 2 * baselinePlacements + 2 * placements;
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.fromSystemProperties();
    Map<String, String> env = System.getenv();
    String adminUrl = service(env, "DATABASE_URL");
    String user = optional(env, "DATABASE_USER").orElse("postgres");
    String password = optional(env, "DATABASE_PASSWORD").orElse("");
    String mqUrl = service(env, "MQ_URL");
    try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + DATABASE);
    }
    String url = adminUrl.replaceFirst("/[^/?]+(\\?|$)", "/" + DATABASE + "$1");
    // each scheduler's own pool: the sweep's tasks, a connection for the view's catch-up, one to spare
    PostgresSettings database = new PostgresSettings(url, user, password, options.concurrency() + 2);
    RabbitSettings broker = new RabbitSettings(mqUrl, "attune-bench-fleet", null, null, Duration.ofMinutes(10));
    List<Row> rows = new ArrayList<>();
    try (PostgresAdapter admin = PostgresAdapter.connect(database)) {
      admin.migrate();
      StatementStats sql = StatementStats.on(admin.dataSource());
      System.out.printf(Locale.ROOT, "placement at fleet scale: %s workers, %d placements per run (%d on the "
              + "baseline), sweep concurrency %d, view staleness %d ms; load average before: %s%n",
          options.fleets(), options.placements(), options.baselinePlacements(), options.concurrency(),
          options.staleness().toMillis(), CpuMeter.loadAverage());
      for (int size : options.fleets()) {
        rows.add(fleet(size, options, admin, sql, database, broker));
      }
    }
    print(rows, options);
  }

  /** One fleet size: registered, then every run; the queues are deleted at the end. */
  private static Row fleet(int size, Options options, PostgresAdapter admin, StatementStats sql,
      PostgresSettings database, RabbitSettings broker) throws Exception {
    reset(admin);
    ScaleFleet fleet;
    long start = System.nanoTime();
    try (RabbitAdapter rabbit = RabbitAdapter.connect(broker, Clock.systemUTC())) {
      fleet = ScaleFleet.register(admin, rabbit, size, options.perFleet());
      System.out.printf(Locale.ROOT, "%n%,d workers registered and their queues declared in %.1f s (%d slots each)"
          + "%n", size, (System.nanoTime() - start) / 1e9, fleet.slots());
      try (Scheduler view = Scheduler.open(database, broker, "view", options, true);
          Scheduler old = Scheduler.open(database, broker, "baseline", options, false)) {
        view.sweep(fleet.submit(admin, options.warmUp()), null);
        old.sweep(fleet.submit(admin, Math.min(options.warmUp(), options.baselinePlacements())), null);
        Run viewSweep = view.sweep(fleet.submit(admin, options.placements()), sql);
        Run oldSweep = old.sweep(fleet.submit(admin, options.baselinePlacements()), sql);
        Run viewRequests = view.oneByOne(fleet.submit(admin, options.placements()), sql);
        Run oldRequests = old.oneByOne(fleet.submit(admin, options.baselinePlacements()), sql);
        Run two = twoSchedulers(fleet.submit(admin, 2 * options.placements()), database, broker, options, sql);
        Checks checks = Checks.of(admin);
        Row row = new Row(size, viewSweep, oldSweep, viewRequests, oldRequests, two, checks);
        row.describe(System.out);
        return row;
      } finally {
        fleet.deleteQueues(rabbit);
      }
    }
  }

  /** Two schedulers, each with its own adapters and view, sweeping the same waiting executions at once. */
  private static Run twoSchedulers(List<ExecutionId> waiting, PostgresSettings database, RabbitSettings broker,
      Options options, StatementStats sql) throws Exception {
    try (Scheduler a = Scheduler.open(database, broker, "scheduler-a", options, true);
        Scheduler b = Scheduler.open(database, broker, "scheduler-b", options, true)) {
      // each loads its view before the clock starts, as a running scheduler would have
      a.warmView();
      b.warmView();
      return Scheduler.together(List.of(a, b), waiting, sql);
    }
  }

  private static void reset(PostgresAdapter admin) throws SQLException {
    try (Connection c = admin.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("TRUNCATE execution, worker_removal, worker CASCADE");
    }
  }

  private static void print(List<Row> rows, Options options) {
    System.out.println();
    System.out.printf(Locale.ROOT, "Placement at fleet scale (sweep: %d at once per scheduler; requests: one after "
        + "another; BASELINE = PostgresAdapter.directory(), candidatesFor per decision)%n", options.concurrency());
    System.out.printf(Locale.ROOT, "%8s | %-22s | %12s | %8s | %8s | %8s%n", "workers", "path", "placements/s",
        "p50 ms", "p99 ms", "SQL/pl.");
    for (Row row : rows) {
      row.table(System.out);
    }
    Row smallest = rows.get(0);
    Row largest = rows.get(rows.size() - 1);
    double sweep = largest.viewSweep().perSecond();
    System.out.printf(Locale.ROOT, "[summary] fleet: sweep placements/s at %,d workers|%.0f|%.0f baseline|%.1f|"
            + ">= 1000/s|%s%n", largest.workers(), sweep, largest.oldSweep().perSecond(),
        sweep / largest.oldSweep().perSecond(), sweep >= 1000 ? "yes" : "no");
    double flat = sweep / smallest.viewSweep().perSecond();
    System.out.printf(Locale.ROOT, "[summary] fleet: sweep placements/s %,d vs %,d workers|%.0f|%.0f|%.2f|>= 0.8|%s"
            + "%n", largest.workers(), smallest.workers(), sweep, smallest.viewSweep().perSecond(), flat,
        flat >= 0.8 ? "yes" : "no");
    System.out.printf(Locale.ROOT, "[summary] fleet: request placements/s at %,d workers|%.0f|%.0f baseline|%.1f|-|-"
            + "%n", largest.workers(), largest.viewRequests().perSecond(), largest.oldRequests().perSecond(),
        largest.viewRequests().perSecond() / largest.oldRequests().perSecond());
    System.out.printf(Locale.ROOT, "[summary] fleet: SQL statements per placement at %,d workers (sweep)|%.2f|%.2f "
            + "baseline|%.2f|-|-%n", largest.workers(), largest.viewSweep().sqlPerPlacement(),
        largest.oldSweep().sqlPerPlacement(),
        largest.viewSweep().sqlPerPlacement() / largest.oldSweep().sqlPerPlacement());
    boolean safe = rows.stream().allMatch(r -> r.checks().safe());
    System.out.printf(Locale.ROOT, "[summary] fleet: two schedulers placements/s at %,d workers|%.0f|%.0f one "
            + "scheduler|%.2f|no over-commit|%s%n", largest.workers(), largest.two().perSecond(), sweep,
        largest.two().perSecond() / sweep, safe ? "yes" : "no");
  }

  /** The test variable ({@code ATTUNE_TEST_X}), else the deployment's ({@code ATTUNE_X}). */
  private static String service(Map<String, String> env, String suffix) {
    return optional(env, suffix).orElseThrow(() -> new IllegalStateException("ATTUNE_TEST_" + suffix
        + " is not set: run the benchmark with scripts/bench.sh fleet"));
  }

  private static Optional<String> optional(Map<String, String> env, String suffix) {
    return Optional.ofNullable(env.get("ATTUNE_TEST_" + suffix)).or(() -> Optional.ofNullable(env.get("ATTUNE_"
        + suffix))).filter(v -> !v.isBlank());
  }

  /** The figures of one fleet size. */
  record Row(int workers, Run viewSweep, Run oldSweep, Run viewRequests, Run oldRequests, Run two, Checks checks) {

    void describe(java.io.PrintStream out) {
      out.printf(Locale.ROOT, "  checks: %s%n", checks.describe());
      for (Run run : List.of(viewSweep, oldSweep, viewRequests, oldRequests, two)) {
        out.printf(Locale.ROOT, "  %-22s %s%n", run.name(), run.describe());
      }
    }

    void table(java.io.PrintStream out) {
      for (Run run : List.of(viewSweep, oldSweep, viewRequests, oldRequests, two)) {
        out.printf(Locale.ROOT, "%,8d | %-22s | %12.0f | %8.2f | %8.2f | %8.2f%n", workers, run.name(),
            run.perSecond(), run.latency().p50(), run.latency().p99(), run.sqlPerPlacement());
      }
    }
  }

  /**
   * What the database holds after the runs of a fleet size: no worker above its capacity, each worker's reserved
   * count equal to the executions it holds, and no execution dispatched more than once (every attempt is the first).
   */
  record Checks(long overCommitted, long countMismatch, long repeatedAttempts, long placed) {

    static Checks of(PostgresAdapter admin) throws SQLException {
      try (Connection c = admin.dataSource().getConnection(); Statement s = c.createStatement()) {
        return new Checks(count(s, "SELECT count(*) FROM worker w WHERE w.running > "
                + "(w.capabilities->>'max_concurrent_executions')::int"),
            count(s, "SELECT count(*) FROM worker w WHERE w.running <> (SELECT count(*) FROM execution e "
                + "WHERE e.worker = w.id AND e.status IN ('scheduled', 'running'))"),
            count(s, "SELECT count(*) FROM execution WHERE attempt > 1"),
            count(s, "SELECT count(*) FROM execution WHERE status = 'scheduled'"));
      }
    }

    private static long count(Statement s, String query) throws SQLException {
      try (ResultSet r = s.executeQuery(query)) {
        r.next();
        return r.getLong(1);
      }
    }

    boolean safe() {
      return overCommitted == 0 && countMismatch == 0 && repeatedAttempts == 0;
    }

    String describe() {
      return String.format(Locale.ROOT, "%,d placed; workers over capacity %d, reserved count differing from held "
          + "executions %d, executions placed twice %d -> %s", placed, overCommitted, countMismatch, repeatedAttempts,
          safe() ? "safe" : "UNSAFE");
    }
  }

  /** Used by {@link Scheduler} to build its directory. */
  static WorkerDirectory directory(PostgresAdapter postgres, Clock clock, Options options, boolean view) {
    return view ? new FleetView(postgres.workerChanges(), postgres.directory(), clock, options.staleness(),
        FleetView.DEFAULT_FULL_RELOAD) : postgres.directory();
  }
}
