package io.attune.worker.benchmarks.system;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.port.in.ReconcileExecutionsUseCase.Sweep;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.WorkerDirectory;
import io.attune.worker.core.service.ReconcileExecutionsService;
import io.attune.worker.core.service.ScheduleExecutionService;
import io.attune.worker.core.service.UndeliveredDispatchService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One scheduler of {@link PlacementAtScaleBenchmark}, wired as the scheduler role wires it: its own PostgreSQL and
 * RabbitMQ adapters, the database's clock, {@link ScheduleExecutionService} deciding on a fleet view (or, for the
 * baseline, on the registry's candidate query), and the sweep placing on a pool of its own.
 */
final class Scheduler implements AutoCloseable {

  private final String name;
  private final PostgresAdapter postgres;
  private final RabbitAdapter rabbit;
  private final WorkerDirectory directory;
  private final Timed timed;
  private final ReconcileExecutionsService sweep;
  private final ExecutorService pool;

  private Scheduler(String name, PostgresAdapter postgres, RabbitAdapter rabbit, WorkerDirectory directory,
      Timed timed, ReconcileExecutionsService sweep, ExecutorService pool) {
    this.name = name;
    this.postgres = postgres;
    this.rabbit = rabbit;
    this.directory = directory;
    this.timed = timed;
    this.sweep = sweep;
    this.pool = pool;
  }

  static Scheduler open(PostgresSettings database, RabbitSettings broker, String name,
      PlacementAtScaleBenchmark.Options options, boolean view) {
    PostgresAdapter postgres = PostgresAdapter.connect(database);
    RabbitAdapter rabbit;
    try {
      rabbit = RabbitAdapter.connect(new RabbitSettings(broker.url(), "attune-bench-" + name, null, null,
          broker.workerQueueExpiry()), Clock.systemUTC());
    } catch (RuntimeException failed) {
      postgres.close();
      throw failed;
    }
    Clock clock = postgres.clock();
    WorkerDirectory directory = PlacementAtScaleBenchmark.directory(postgres, clock, options, view);
    Timed timed = new Timed(new ScheduleExecutionService(directory, postgres.executions(),
        rabbit.dispatcher(new UndeliveredDispatchService(postgres.executions(), clock, ExecutionObserver.NONE,
            AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE)),
        PlacementPolicy.standard(), clock, ExecutionObserver.NONE,
            AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE));
    ExecutorService pool = Executors.newFixedThreadPool(options.concurrency());
    ReconcileExecutionsService sweep = new ReconcileExecutionsService(postgres.executions(), timed, clock,
        new ReconcileExecutionsService.Settings(Duration.ofHours(1), Duration.ofHours(1), 2, 500,
            options.concurrency()), pool, ExecutionObserver.NONE, ExecutionEvents.NONE);
    return new Scheduler(name + (view ? " (view)" : " (BASELINE)"), postgres, rabbit, directory, timed, sweep,
        pool);
  }

  /** Loads the view now, as a running scheduler has it loaded already. */
  void warmView() {
    directory.refresh();
  }

  /** Sweeps until a sweep places nothing more. {@code sql} null: a warm-up, not counted. */
  Run sweep(List<ExecutionId> waiting, StatementStats sql) {
    return measure("sweep, " + name, waiting.size(), sql, List.of(this::sweepAll));
  }

  /** Places one execution after another by id, as the request consumer does. */
  Run oneByOne(List<ExecutionId> waiting, StatementStats sql) {
    return measure("requests, " + name, waiting.size(), sql, List.of(() -> {
      int placed = 0;
      for (ExecutionId id : waiting) {
        if (timed.schedule(id) instanceof Scheduling.Dispatched) {
          placed++;
        }
      }
      return placed;
    }));
  }

  /** Several schedulers sweeping the same waiting executions at once. */
  static Run together(List<Scheduler> schedulers, List<ExecutionId> waiting, StatementStats sql) throws Exception {
    List<PlacementTask> tasks = new ArrayList<>();
    for (Scheduler s : schedulers) {
      tasks.add(s::sweepAll);
    }
    List<Timed> timers = schedulers.stream().map(s -> s.timed).toList();
    return measure(schedulers.size() + " schedulers at once", waiting.size(), sql, tasks, timers);
  }

  private int sweepAll() {
    int placed = 0;
    while (true) {
      Sweep pass = sweep.sweep();
      long dispatched = pass.placements().stream().filter(Scheduling.Dispatched.class::isInstance).count();
      placed += (int) dispatched;
      if (dispatched == 0) {
        return placed;
      }
    }
  }

  private Run measure(String label, int expected, StatementStats sql, List<PlacementTask> tasks) {
    try {
      return measure(label, expected, sql, tasks, List.of(timed));
    } catch (Exception failed) {
      throw new IllegalStateException(label + " failed: " + failed.getMessage(), failed);
    }
  }

  private static Run measure(String label, int expected, StatementStats sql, List<PlacementTask> tasks,
      List<Timed> timers) throws Exception {
    timers.forEach(Timed::clear);
    if (sql != null) {
      sql.reset();
    }
    CpuMeter cpu = CpuMeter.start();
    long start = System.nanoTime();
    ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
    int placed = 0;
    try {
      List<Future<Integer>> running = new ArrayList<>();
      for (PlacementTask task : tasks) {
        running.add(threads.submit(task::placeAll));
      }
      for (Future<Integer> done : running) {
        placed += done.get();
      }
    } finally {
      threads.shutdownNow();
    }
    long elapsed = System.nanoTime() - start;
    CpuMeter.Reading used = cpu.stop();
    StatementStats.Reading statements = sql == null ? StatementStats.Reading.NONE : sql.read();
    List<Long> nanos = new ArrayList<>();
    timers.forEach(t -> nanos.addAll(t.nanos));
    return new Run(label, expected, placed, elapsed, Latencies.ofNanos(nanos), statements.calls(), used.busy(),
        statements);
  }

  @Override
  public void close() {
    pool.shutdownNow();
    rabbit.close();
    postgres.close();
  }

  /** Places what it can; returns how many it dispatched. */
  @FunctionalInterface
  private interface PlacementTask {
    int placeAll() throws Exception;
  }

  /** The scheduling use case, timing each call. */
  private static final class Timed implements ScheduleExecutionUseCase {
    private final ScheduleExecutionUseCase delegate;
    private final Queue<Long> nanos = new ConcurrentLinkedQueue<>();

    Timed(ScheduleExecutionUseCase delegate) {
      this.delegate = delegate;
    }

    void clear() {
      nanos.clear();
    }

    @Override
    public Scheduling schedule(ExecutionId id) {
      long start = System.nanoTime();
      try {
        return delegate.schedule(id);
      } finally {
        nanos.add(System.nanoTime() - start);
      }
    }

    @Override
    public Scheduling schedule(Execution waiting) {
      long start = System.nanoTime();
      try {
        return delegate.schedule(waiting);
      } finally {
        nanos.add(System.nanoTime() - start);
      }
    }
  }
}
