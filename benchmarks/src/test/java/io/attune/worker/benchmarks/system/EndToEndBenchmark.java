package io.attune.worker.benchmarks.system;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import io.attune.worker.benchmarks.rabbitmq.RawThroughputBenchmark;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * No-op executions end to end on real PostgreSQL and RabbitMQ (submit, the scheduler places, dispatch over
 * RabbitMQ, a worker runs a child process, the result is stored), beside the raw persistent-message throughput of
 * the same broker measured in the same run. Not a test: it prints figures and asserts nothing.
 *
 * <p>One scheduler and {@code bench.workers} workers of {@code bench.slots} slots run in this JVM, wired as the
 * {@code scheduler} and {@code run} commands wire them (each role its own pool and connection); the action is
 * {@code bench.noop} from this module's {@code src/test/resources/bench-packs} ({@code cat >/dev/null; echo '{}'} under
 * {@code /bin/sh}). Phases:
 * <ol>
 *   <li>raw persistent throughput ({@link RawThroughputBenchmark#persistentMessagesPerSecond}), after a warm-up;
 *   <li>rounds of {@code bench.warmUp} executions, not counted, until the JIT compiler has settled (at most ten):
 *       the roles are long-lived processes, whose steady state is what the figures are about;
 *   <li>light load: {@code bench.light} executions one at a time, each submitted once the previous one ended and at
 *       least {@code bench.lightIntervalMs} after the previous submission;
 *   <li>batch: {@code bench.batch} executions submitted at once from {@code bench.submitters} threads;
 *   <li>the steps of an execution measured alone (a confirmed publish, a hop through the broker, the row reads, the
 *       child process), then raw persistent throughput again; the ratio uses the mean of both raw figures.
 * </ol>
 * With {@code -Dbench.runner=in-process} ({@code scripts/bench.sh overhead}) the workers run actions with
 * {@link NoWorkRunner} instead of child processes: the figures are the orchestration's own overhead, against raw
 * persistent RabbitMQ throughput (issue 12: ratio &ge; 0.1). With child processes ({@code scripts/bench.sh
 * endtoend}) the action is also spawned directly ({@link DirectSpawn}) before and after, at the system's
 * concurrency (workers &times; slots), and the rate is compared with that (issue 12: &ge; 0.5). Both print
 * {@code [summary]} lines, SQL statements per execution among them (issue 12: &le; 6).
 *
 * <p>Executions per second is the number of executions over the time from the first {@code requested_at} to the last
 * {@code ended_at}; submit-to-start is {@code started_at - requested_at} of each row. Beside them: the machine's CPU
 * use, this JVM's CPU and JIT time, and the SQL each execution cost (from {@code pg_stat_statements}). Targets
 * (issue 5): at least one execution per second for every ten raw persistent messages per second (ratio &ge; 0.1),
 * and a p50 submit-to-start under 20 ms at light load.
 *
 * <p>Run it from the repository root with {@code scripts/bench.sh endtoend} (or {@code overhead}), which starts the
 * services and runs this class on the benchmarks module's test class path.
 * Options go before the class name; the defaults are {@code -Dbench.batch=1000 -Dbench.light=30 -Dbench.warmUp=2000
 * -Dbench.lightIntervalMs=50 -Dbench.workers=2 -Dbench.slots=4 -Dbench.submitters=4 -Dbench.rawMessages=30000
 * -Dbench.timeoutSeconds=120 -Dbench.logLevel=warn -Dbench.runner=process}. {@code -Dbench.logLevel=info} shows the roles' logs on standard
 * error; {@code -Dbench.trace=true} follows each light-load execution through the roles (see {@link TracingClock})
 * and prints the median time after the request at which each step took place. The services come from
 * {@code ATTUNE_TEST_DATABASE_URL}, {@code ATTUNE_TEST_DATABASE_USER}, {@code ATTUNE_TEST_DATABASE_PASSWORD} and
 * {@code ATTUNE_TEST_MQ_URL} (else the {@code ATTUNE_*} variables of a deployment); the schema is migrated first.
 */
public final class EndToEndBenchmark {

  /** The throughput target: executions per second over raw persistent messages per second. */
  static final double TARGET_RATIO = 0.1;
  /** The latency target at light load, p50 submit-to-start, in milliseconds. */
  static final double TARGET_LIGHT_P50_MILLIS = 20;
  /** Issue 12: with child processes, executions per second over direct spawns per second of the same action. */
  static final double TARGET_SPAWN_RATIO = 0.5;
  /** Issue 12: SQL statements per execution end to end. */
  static final double TARGET_STATEMENTS = 6;

  /** JIT compile time per execution of a warm-up round under which the JIT counts as settled. */
  static final double SETTLED_JIT_MILLIS = 0.25;
  /** The most warm-up rounds, settled or not. */
  static final int MAX_WARM_UP_ROUNDS = 10;

  private EndToEndBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    // before the first logger exists (src/test/resources/logback-test.xml reads it): the roles log every execution
    // at info
    System.setProperty("attune.log.level", System.getProperty("bench.logLevel", "warn"));
    BenchSettings settings = BenchSettings.load(System.getenv());
    PrintStream out = System.out;
    String loadBefore = CpuMeter.loadAverage();
    out.printf("End-to-end benchmark: %d workers x %d slots, 1 scheduler, in one JVM; action %s %s; %d cores; "
        + "load average %s%n", settings.workers(), settings.slots(), Submitter.ACTION,
        settings.inProcessRunner() ? "by an in-process runner that does no work" : "as a child process",
        Runtime.getRuntime().availableProcessors(), loadBefore);

    try (PostgresAdapter postgres = PostgresAdapter.connect(PostgresSettings.of(settings.databaseUrl(),
        settings.databaseUser(), settings.databasePassword()))) {
      out.println("schema: " + postgres.migrate().schemaVersion());
    }
    RabbitSettings raw = new RabbitSettings(settings.mqUrl(), "attune-bench-raw");
    RawThroughputBenchmark.persistentMessagesPerSecond(raw, Math.min(5_000, settings.rawMessages()));
    double rawBefore = RawThroughputBenchmark.persistentMessagesPerSecond(raw, settings.rawMessages());
    out.printf(Locale.ROOT, "raw persistent throughput before: %,.0f msg/s%n", rawBefore);
    int concurrency = settings.workers() * settings.slots();
    double spawnBefore = Double.NaN;
    if (!settings.inProcessRunner()) {
      DirectSpawn.perSecond(settings.packsDirectory(), settings.batch() / 4, concurrency);
      spawnBefore = DirectSpawn.perSecond(settings.packsDirectory(), settings.batch(), concurrency);
      out.printf(Locale.ROOT, "direct spawns of the action before: %,.1f/s at concurrency %d%n", spawnBefore,
          concurrency);
    }

    PhaseResult light;
    PhaseResult batch;
    Components components;
    TracingClock clock = new TracingClock();
    Map<String, Duration> timeline = Map.of();
    try (InProcessSystem system = InProcessSystem.start(settings, clock);
         Submitter submitter = Submitter.connect(settings, clock)) {
      Map<WorkerId, String> names = system.workers().stream().collect(Collectors.toMap(Worker::id, Worker::name));
      StatementStats sql = StatementStats.on(submitter.postgres().dataSource());
      warmUp(out, submitter, settings, names, sql);
      boolean trace = Boolean.getBoolean("bench.trace");
      clock.recording(trace);
      light = light(submitter, settings, names, sql);
      clock.recording(false);
      if (trace) {
        timeline = clock.medianTimeline(light.rows());
      }
      out.printf(Locale.ROOT, "light: %d executions, %d succeeded%n", light.executions(), light.succeeded());
      batch = batch(submitter, settings, settings.batch(), "batch", names, sql);
      out.printf(Locale.ROOT, "batch: %d executions, %d succeeded%n", batch.executions(), batch.succeeded());
      Execution sample = submitter.find(submitter.lastSubmitted());
      components = Components.measure(raw, submitter.postgres(), sample, settings.packsDirectory(),
          InProcessSystem.environment(settings, Map.of()));
    }
    double rawAfter = RawThroughputBenchmark.persistentMessagesPerSecond(raw, settings.rawMessages());
    out.printf(Locale.ROOT, "raw persistent throughput after: %,.0f msg/s%n", rawAfter);
    double spawnMean = Double.NaN;
    if (!settings.inProcessRunner()) {
      double spawnAfter = DirectSpawn.perSecond(settings.packsDirectory(), settings.batch(), concurrency);
      out.printf(Locale.ROOT, "direct spawns of the action after: %,.1f/s at concurrency %d%n", spawnAfter,
          concurrency);
      spawnMean = (spawnBefore + spawnAfter) / 2;
    }

    double rawMean = (rawBefore + rawAfter) / 2;
    String loadAfter = CpuMeter.loadAverage();
    print(out, settings, light, batch, rawMean, loadBefore, loadAfter);
    printComponents(out, components, light, batch);
    printTimeline(out, timeline);
    printTargets(out, light, batch, rawMean);
    printSummary(out, settings, light, batch, rawMean, spawnMean, loadAfter);
    out.flush();
    // the roles' consumer pools are not daemon threads; everything is closed, so end here
    System.exit(0);
  }

  /**
   * Rounds of {@code bench.warmUp} executions until the JIT compiler has settled: its compile time during a round
   * under {@link #SETTLED_JIT_MILLIS} per execution, or {@link #MAX_WARM_UP_ROUNDS} rounds. The roles are
   * long-lived processes, whose steady state is what the figures are about; a single fixed round left the JIT
   * compiling through the batch that followed (the figures: docs/benchmarks.md).
   */
  private static void warmUp(PrintStream out, Submitter submitter, BenchSettings settings,
      Map<WorkerId, String> names, StatementStats sql) throws Exception {
    for (int round = 1; settings.warmUp() > 0 && round <= MAX_WARM_UP_ROUNDS; round++) {
      PhaseResult warm = batch(submitter, settings, settings.warmUp(), "warm-up", names, sql);
      double jit = warm.jit().toNanos() / 1e6 / warm.executions();
      out.printf(Locale.ROOT, "warm-up round %d: %d executions, %d succeeded, JIT %.2f ms per execution%n", round,
          warm.executions(), warm.succeeded(), jit);
      if (jit < SETTLED_JIT_MILLIS) {
        return;
      }
    }
  }

  /** One at a time: submit, wait for the end, keep at least the interval between two submissions. */
  private static PhaseResult light(Submitter submitter, BenchSettings settings, Map<WorkerId, String> names,
      StatementStats sql) throws Exception {
    List<Submitter.Submitted> submitted = new ArrayList<>();
    sql.reset();
    CpuMeter cpu = CpuMeter.start();
    for (int i = 0; i < settings.light(); i++) {
      long start = System.nanoTime();
      Submitter.Submitted one = submitter.submit();
      submitted.add(one);
      submitter.awaitEnds(List.of(one.id()), settings.timeout());
      long left = settings.lightInterval().toNanos() - (System.nanoTime() - start);
      if (left > 0) {
        TimeUnit.NANOSECONDS.sleep(left);
      }
    }
    CpuMeter.Reading used = cpu.stop();
    StatementStats.Reading statements = sql.read();
    List<Execution> rows = rows(submitter, submitted);
    return PhaseResult.of("light", rows, submitted, names, used, statements);
  }

  /** All at once from several submitting threads, then wait for every end. */
  private static PhaseResult batch(Submitter submitter, BenchSettings settings, int executions, String name,
      Map<WorkerId, String> names, StatementStats sql) throws Exception {
    List<Submitter.Submitted> submitted = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger left = new AtomicInteger(executions);
    ExecutorService clients = Executors.newFixedThreadPool(settings.submitters());
    sql.reset();
    CpuMeter cpu = CpuMeter.start();
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < settings.submitters(); t++) {
        runs.add(clients.submit(() -> {
          while (left.getAndDecrement() > 0) {
            submitted.add(submitter.submit());
          }
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
      }
    } finally {
      clients.shutdownNow();
    }
    submitter.awaitEnds(submitted.stream().map(Submitter.Submitted::id).toList(), settings.timeout());
    CpuMeter.Reading used = cpu.stop();
    StatementStats.Reading statements = sql.read();
    return PhaseResult.of(name, rows(submitter, submitted), List.copyOf(submitted), names, used, statements);
  }

  private static List<Execution> rows(Submitter submitter, List<Submitter.Submitted> submitted) {
    return submitted.stream().map(Submitter.Submitted::id).map(submitter::find).toList();
  }

  private static void print(PrintStream out, BenchSettings settings, PhaseResult light, PhaseResult batch,
      double rawPerSecond, String loadBefore, String loadAfter) {
    out.println();
    out.printf(Locale.ROOT, "raw persistent RabbitMQ throughput (1 producer, 1 consumer, confirms, %d-byte "
        + "messages, %,d per run): %,.0f msg/s (mean of the runs before and after)%n",
        RawThroughputBenchmark.MESSAGE_BYTES, settings.rawMessages(), rawPerSecond);
    out.printf("load average: %s before, %s after%n%n", loadBefore, loadAfter);
    row(out, "", "light", "batch");
    row(out, "executions (succeeded)", light, batch, p -> p.executions() + " (" + p.succeeded() + ")");
    row(out, "submitted", "1 at a time, >= " + settings.lightInterval().toMillis() + " ms apart",
        batch.executions() + " at once, " + settings.submitters() + " clients");
    row(out, "most running at once (capacity " + settings.workers() * settings.slots() + ")", light, batch,
        p -> Integer.toString(p.peakRunning()));
    row(out, "executions per worker", light, batch, p -> p.perWorker().toString());
    row(out, "first request -> last end (s)", light, batch, p -> fmt("%.2f", p.window().toNanos() / 1e9));
    row(out, "executions per second", light, batch, p -> fmt("%.1f", p.executionsPerSecond()));
    row(out, "  ratio to raw persistent msg/s", light, batch, p -> fmt("%.4f", p.executionsPerSecond()
        / rawPerSecond));
    row(out, "submit -> start p50 (ms)", light, batch, p -> fmt("%.1f", p.submitToStart().p50()));
    row(out, "submit -> start p90 (ms)", light, batch, p -> fmt("%.1f", p.submitToStart().p90()));
    row(out, "submit -> start p99 (ms)", light, batch, p -> fmt("%.1f", p.submitToStart().p99()));
    row(out, "submit -> start max (ms)", light, batch, p -> fmt("%.1f", p.submitToStart().max()));
    row(out, "start -> end p50 / p99 (ms)", light, batch, p -> fmt("%.1f / %.1f", p.startToEnd().p50(),
        p.startToEnd().p99()));
    row(out, "client: store row p50 / p99 (ms)", light, batch, p -> fmt("%.1f / %.1f", p.store().p50(),
        p.store().p99()));
    row(out, "client: confirmed request p50 / p99 (ms)", light, batch, p -> fmt("%.1f / %.1f",
        p.announce().p50(), p.announce().p99()));
    row(out, "machine CPU busy, all processes (%)", light, batch, p -> fmt("%.0f", p.busy() * 100));
    row(out, "this JVM's CPU per execution (ms)", light, batch, p -> fmt("%.1f", p.jvmCpu().toNanos() / 1e6
        / p.executions()));
    row(out, "JIT compiler time per execution (ms, elapsed)", light, batch, p -> fmt("%.1f", p.jit().toNanos() / 1e6
        / p.executions()));
    row(out, "SQL statements per execution", light, batch, p -> fmt("%.1f", (double) p.sql().calls()
        / p.executions()));
    row(out, "PostgreSQL time per execution (ms)", light, batch, p -> fmt("%.2f", p.sql().totalMillis()
        / p.executions()));
  }

  private static void printComponents(PrintStream out, Components c, PhaseResult light, PhaseResult batch) {
    out.println();
    out.println("steps measured alone in the same run, roles idle (ms: p50 / p99):");
    out.printf(Locale.ROOT, "  %-66s %.2f%n", "confirmed persistent publish, 1 thread (3 per execution)",
        c.confirmedPublishMillis());
    out.printf(Locale.ROOT, "  %-66s %.2f / %.2f%n", "one hop: publish on one connection -> handler on another",
        c.hop().p50(), c.hop().p99());
    out.printf(Locale.ROOT, "  %-66s %.2f / %.2f%n", "ExecutionStore.find (scheduler, worker, each change reads first)",
        c.findExecution().p50(), c.findExecution().p99());
    out.printf(Locale.ROOT, "  %-66s %.2f / %.2f%n", "WorkerDirectory.candidatesFor (each placement try)",
        c.candidates().p50(), c.candidates().p99());
    out.printf(Locale.ROOT, "  %-66s %.2f / %.2f%n", "ExecutionStore.waiting, nothing waiting (each sweep)",
        c.waitingList().p50(), c.waitingList().p99());
    out.printf(Locale.ROOT, "  %-66s %.2f / %.2f%n", "no-op child process (ProcessActionRunner.run)",
        c.childProcess().p50(), c.childProcess().p99());
    for (PhaseResult phase : List.of(light, batch)) {
      if (phase.sql().kinds().isEmpty()) {
        continue;
      }
      out.printf("%nmost frequent SQL during the %s phase (calls per execution, ms per execution):%n", phase.name());
      phase.sql().kinds().stream().limit(10).forEach(k -> out.printf(Locale.ROOT, "  %7.2f %7.2f  %s%n",
          (double) k.calls() / phase.executions(), k.totalMillis() / phase.executions(), shorten(k.query())));
    }
  }

  private static void printTimeline(PrintStream out, Map<String, Duration> timeline) {
    if (timeline.isEmpty()) {
      return;
    }
    out.printf("%nlight load, median time after the request at which each step read the clock (ms):%n");
    timeline.forEach((step, offset) -> out.printf(Locale.ROOT, "  %8.2f  %s%n", offset.toNanos() / 1e6, step));
  }

  /** A statement without its column lists, at most 150 characters: enough to tell which one it is. */
  private static String shorten(String query) {
    String text = query.replaceAll("(\"\\w+\"\\.)?\"\\w+\"(, (\"\\w+\"\\.)?\"\\w+\")+", "...")
        .replace("\"", "");
    return text.length() > 150 ? text.substring(0, 150) + "..." : text;
  }

  private static void printTargets(PrintStream out, PhaseResult light, PhaseResult batch, double rawPerSecond) {
    out.println();
    double ratio = batch.executionsPerSecond() / rawPerSecond;
    out.printf(Locale.ROOT, "target: batch executions/s >= %.1f x raw persistent msg/s: %.4f -> %s%n",
        TARGET_RATIO, ratio, ratio >= TARGET_RATIO ? "met" : "MISSED");
    out.printf(Locale.ROOT, "target: light-load p50 submit -> start < %.0f ms: %.1f ms -> %s%n",
        TARGET_LIGHT_P50_MILLIS, light.submitToStart().p50(),
        light.submitToStart().p50() < TARGET_LIGHT_P50_MILLIS ? "met" : "MISSED");
    if (light.succeeded() < light.executions() || batch.succeeded() < batch.executions()) {
      out.println("WARNING: not every execution succeeded; the figures include failures");
    }
  }

  /**
   * The headline figures as {@code [summary]} lines for {@code scripts/bench.sh}: with the in-process runner the
   * orchestration's overhead against raw persistent RabbitMQ throughput; with child processes the rate against
   * spawning the same action directly at the same concurrency, and the light-load latency. Both print the SQL
   * statements per execution (target of issue 12: at most 6).
   */
  private static void printSummary(PrintStream out, BenchSettings settings, PhaseResult light, PhaseResult batch,
      double rawPerSecond, double spawnsPerSecond, String loadAfter) {
    String name = settings.inProcessRunner() ? "overhead" : "endtoend";
    String busy = " (load " + loadAfter.split(" ")[0] + ")";
    if (settings.inProcessRunner()) {
      double ratio = batch.executionsPerSecond() / rawPerSecond;
      summary(out, name + ": executions/s, runner doing no work" + busy, fmt("%.0f", batch.executionsPerSecond()),
          fmt("%.0f raw persistent msg/s", rawPerSecond), fmt("%.3f", ratio), fmt(">= %.1f", TARGET_RATIO),
          ratio >= TARGET_RATIO);
    } else {
      double ratio = batch.executionsPerSecond() / spawnsPerSecond;
      summary(out, name + ": executions/s, no-op shell action" + busy, fmt("%.0f", batch.executionsPerSecond()),
          fmt("%.0f direct spawns/s", spawnsPerSecond), fmt("%.2f", ratio), fmt(">= %.1f", TARGET_SPAWN_RATIO),
          ratio >= TARGET_SPAWN_RATIO);
    }
    double p50 = light.submitToStart().p50();
    summary(out, name + ": light-load submit-to-start p50 (ms)", fmt("%.1f", p50), "-", "-",
        fmt("< %.0f", TARGET_LIGHT_P50_MILLIS), p50 < TARGET_LIGHT_P50_MILLIS);
    if (batch.sql().calls() > 0) {
      double perExecution = (double) batch.sql().calls() / batch.executions();
      summary(out, name + ": SQL statements per execution (batch)", fmt("%.1f", perExecution), "-", "-",
          fmt("<= %.0f", TARGET_STATEMENTS), perExecution <= TARGET_STATEMENTS);
    }
  }

  private static void summary(PrintStream out, String metric, String figure, String baseline, String ratio,
      String target, boolean holds) {
    out.println("[summary] " + String.join("|", metric, figure, baseline, ratio, target, holds ? "yes" : "NO"));
  }

  private static void row(PrintStream out, String label, PhaseResult light, PhaseResult batch,
      Function<PhaseResult, String> value) {
    row(out, label, value.apply(light), value.apply(batch));
  }

  private static void row(PrintStream out, String label, String light, String batch) {
    out.printf("%-46s %-30s %s%n", label, light, batch);
  }

  private static String fmt(String format, Object... values) {
    return String.format(Locale.ROOT, format, values);
  }
}
