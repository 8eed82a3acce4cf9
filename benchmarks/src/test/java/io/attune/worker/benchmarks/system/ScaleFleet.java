package io.attune.worker.benchmarks.system;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.Affinity;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.runtime.VersionConstraint;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * The fleet of {@link PlacementAtScaleBenchmark}: workers of five runtime profiles (with versions), three zones and
 * two disk kinds, registered through the PostgreSQL adapter with an hour's heartbeat interval (none goes stale
 * during a run), each with its queue declared so that every dispatch is routable; and waiting executions of four
 * kinds, each placeable on some of them.
 *
 * @param workers the registered workers
 * @param slots {@code max_concurrent_executions} of each: enough for every placement of the fleet's runs
 */
record ScaleFleet(List<WorkerId> workers, int slots) {

  /** Registering and submitting run on this many threads. */
  private static final int THREADS = 4;

  /**
   * The kinds of executions, in turn: python at least 3.9 (three profiles of five), node 20 (one of five), shell
   * in zone east (a third of the fleet), native (one of five).
   */
  private static final List<ActionRequirements> KINDS = List.of(
      kind("bench.py", RuntimeName.PYTHON, ">=3.9", Map.of()),
      kind("bench.js", RuntimeName.NODE, "^20", Map.of()),
      kind("bench.sh", RuntimeName.SHELL, "", Map.of("zone", "east")),
      kind("bench.bin", RuntimeName.NATIVE, "", Map.of()));

  /** Registers {@code size} workers with enough slots for {@code placements} and declares their queues. */
  static ScaleFleet register(PostgresAdapter postgres, RabbitAdapter rabbit, int size, int placements)
      throws Exception {
    // the scarcest kind (node, a fifth of the fleet) gets a quarter of the placements: room for two and a half times
    int slots = Math.max(10, (int) Math.ceil(2.5 * placements / size));
    Clock clock = postgres.clock();
    List<WorkerId> workers = parallel(size, i -> postgres.registry().register(new WorkerRegistration(
        String.format(Locale.ROOT, "fleet-%05d", i), WorkerType.CONTAINER, "host-" + i, capabilities(i, slots),
        Duration.ofHours(1)), clock.instant()).id());
    for (WorkerId worker : workers) {
      rabbit.workerQueues().declare(worker);
    }
    return new ScaleFleet(workers, slots);
  }

  private static Capabilities capabilities(int i, int slots) {
    Capabilities.Builder caps = Capabilities.builder().maxConcurrentExecutions(slots)
        .workerVersion(i % 7 == 0 ? "0.9.0" : "1.0.0")
        .label("zone", List.of("east", "west", "north").get(i % 3))
        .label("disk", i % 2 == 0 ? "ssd" : "hdd");
    switch (i % 5) {
      case 0 -> caps.runtime(RuntimeName.SHELL).runtime(RuntimeName.PYTHON, Version.parse("3.11.2"));
      case 1 -> caps.runtime(RuntimeName.SHELL).runtime(RuntimeName.NODE, Version.parse("20.11.1"));
      case 2 -> caps.runtime(RuntimeName.SHELL).runtime(RuntimeName.PYTHON, Version.parse("3.9.18"))
          .runtime(RuntimeName.NODE, Version.parse("18.19.0"));
      case 3 -> caps.runtime(RuntimeName.NATIVE).runtime(RuntimeName.SHELL);
      default -> caps.runtime(RuntimeName.SHELL).runtime(RuntimeName.PYTHON, Version.parse("3.12.1"))
          .runtime(RuntimeName.GO, Version.parse("1.22.0"));
    }
    return caps.build();
  }

  /** Creates {@code count} waiting executions through the store, the kinds in turn; their ids, oldest first. */
  List<ExecutionId> submit(PostgresAdapter postgres, int count) throws Exception {
    Clock clock = Clock.systemUTC();
    List<ExecutionId> ids = parallel(count, i -> postgres.executions().create(new ExecutionRequest(
        KINDS.get(i % KINDS.size()), Map.of("n", i)), clock.instant()).id());
    return ids.stream().sorted((a, b) -> Long.compare(a.value(), b.value())).toList();
  }

  /** Deletes the workers' queues and what they hold. */
  void deleteQueues(RabbitAdapter rabbit) {
    for (WorkerId worker : workers) {
      rabbit.workerQueues().delete(worker);
    }
  }

  private static ActionRequirements kind(String ref, RuntimeName runtime, String version,
      Map<String, String> selector) {
    return new ActionRequirements(ActionRef.parse(ref), runtime, VersionConstraint.parse(version), Map.of(),
        selector, List.of(), Affinity.none());
  }

  private static <T> List<T> parallel(int count, IntFunction<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<List<T>>> parts = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int first = t;
        parts.add(pool.submit(() -> {
          List<T> part = new ArrayList<>();
          for (int i = first; i < count; i += THREADS) {
            part.add(task.apply(i));
          }
          return part;
        }));
      }
      List<T> all = new ArrayList<>();
      for (Future<List<T>> part : parts) {
        all.addAll(part.get());
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }
}
