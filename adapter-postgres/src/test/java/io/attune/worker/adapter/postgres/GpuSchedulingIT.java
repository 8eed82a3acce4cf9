package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.Gpu;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.PlacementDecision;
import io.attune.worker.core.model.placement.PlacementOutcome;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.placement.PlacementReport;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.GpuRequirement;
import io.attune.worker.core.model.placement.rule.Rejection;
import io.attune.worker.core.model.placement.rule.RejectionCode;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.out.ExecutionStore.Assignment;
import io.attune.worker.core.port.out.ExecutionStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GPUs as a capacity on real PostgreSQL: a worker with one GPU and four slots never runs two executions that each
 * need a GPU at once, however two schedulers (each with a connection of its own) race for it. The second waits with
 * {@code gpu_busy} until the first finishes. A trigger installed by the test fails any statement that would take
 * more GPUs than the worker has.
 */
class GpuSchedulingIT {

  private static final int SCHEDULERS = 2;
  private static final ActionRequirements NEEDS_ONE_GPU = ActionRequirements.of("ml.train", RuntimeName.SHELL)
      .withGpu(new GpuRequirement(1, 40_000));

  private static TestDatabase db;
  private static PostgresAdapter setup;
  private final List<PostgresAdapter> schedulers = new ArrayList<>();
  private final PlacementPolicy policy = PlacementPolicy.standard();
  private Worker worker;

  @BeforeAll
  static void database() throws Exception {
    db = TestDatabase.migrated("gpus");
    setup = PostgresAdapter.connect(db.settings());
    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      s.execute("""
          CREATE FUNCTION watch_gpus() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF coalesce((NEW.reserved ->> 'gpus')::int, 0) > jsonb_array_length(coalesce(NEW.capabilities -> 'gpus', '[]'::jsonb)) THEN
              RAISE EXCEPTION 'worker % would use % GPUs, more than it has', NEW.name, NEW.reserved ->> 'gpus';
            END IF;
            RETURN NEW;
          END $$""");
      s.execute("CREATE TRIGGER watch_gpus BEFORE UPDATE ON worker FOR EACH ROW EXECUTE FUNCTION watch_gpus()");
    }
  }

  @AfterAll
  static void drop() {
    if (setup != null) {
      setup.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @BeforeEach
  void oneGpuWorkerWithFourSlots() {
    db.truncate();
    worker = setup.registry().register(new WorkerRegistration("gpu-1", WorkerType.LOCAL, "host",
        Capabilities.builder().runtime(RuntimeName.SHELL).maxConcurrentExecutions(4)
            .gpu(new Gpu("NVIDIA A100-SXM4-80GB", 81920)).build(), Duration.ofSeconds(30)), NOW);
    for (int i = 0; i < SCHEDULERS; i++) {
      schedulers.add(PostgresAdapter.connect(db.settings(1)));
    }
  }

  @AfterEach
  void closeSchedulers() {
    schedulers.forEach(PostgresAdapter::close);
    schedulers.clear();
  }

  @Test
  void the_second_execution_needing_the_only_gpu_waits_with_gpu_busy_until_the_first_finishes() throws Exception {
    List<Execution> executions = List.of(create(), create());
    ConcurrentLinkedQueue<Execution> assigned = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Execution> refused = new ConcurrentLinkedQueue<>();

    // both schedulers decide on the same fleet (the GPU free) and then assign at once, each its own execution
    runConcurrently(scheduler -> {
      PlacementDecision decision = decide(scheduler);
      assertThat(decision.outcome()).isEqualTo(PlacementOutcome.SELECTED);
      return decision;
    }, (scheduler, decision) -> {
      Execution mine = executions.get(scheduler);
      Assignment answer = schedulers.get(scheduler).executions().assign(mine.id(), worker.id(), NOW);
      if (answer instanceof Assignment.Assigned a) {
        assigned.add(a.execution());
      } else {
        assertThat(answer).isInstanceOf(Assignment.WorkerFull.class);
        refused.add(mine);
      }
    });

    assertThat(assigned).hasSize(1);
    assertThat(refused).hasSize(1);
    assertThat(gpusHeld()).isEqualTo(1);
    assertThat(query("SELECT running FROM worker")).containsExactly(1);

    // the loser decides again: it waits, and the explanation says why
    PlacementDecision again = decide(1);
    assertThat(again.outcome()).isEqualTo(PlacementOutcome.WAIT);
    PlacementReport report = again.explain();
    List<Rejection> rejections = report.assessmentOf("gpu-1").orElseThrow().rejections();
    assertThat(rejections).extracting(Rejection::code).containsExactly(RejectionCode.GPU_BUSY);
    assertThat(rejections.get(0).detail()).contains("1 of its 1 GPU in use");

    // the first finishes: the GPU comes back with the slot, and the second is placed
    Execution first = assigned.peek();
    ExecutionStore store = setup.executions();
    store.start(first.id(), first.attempt(), first.worker().orElseThrow(), NOW);
    assertThat(store.finish(first.id(), first.attempt(), ExecutionStatus.SUCCEEDED, ExecutionResult.message("ok"),
        NOW).applied()).isTrue();
    assertThat(gpusHeld()).isZero();
    assertThat(decide(1).outcome()).isEqualTo(PlacementOutcome.SELECTED);
    assertThat(store.assign(refused.peek().id(), worker.id(), NOW)).isInstanceOf(Assignment.Assigned.class);
    assertThat(gpusHeld()).isEqualTo(1);
  }

  @Test
  void racing_schedulers_run_many_gpu_executions_one_at_a_time_and_give_every_gpu_back() throws Exception {
    int count = 30;
    for (int i = 0; i < count; i++) {
      create();
    }
    ConcurrentLinkedQueue<Execution> ran = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> waits = new ConcurrentLinkedQueue<>();

    runConcurrently(scheduler -> null, (scheduler, ignored) -> {
      ExecutionStore store = schedulers.get(scheduler).executions();
      while (true) {
        List<Execution> waiting = store.waiting(2);
        if (waiting.isEmpty()) {
          return;
        }
        Execution next = waiting.get(scheduler % waiting.size());
        PlacementDecision decision = decide(scheduler);
        if (decision.outcome() == PlacementOutcome.WAIT) {
          decision.explain().assessmentOf("gpu-1").orElseThrow().rejections()
              .forEach(r -> waits.add(r.code().wireName()));
          continue;
        }
        if (store.assign(next.id(), worker.id(), NOW) instanceof Assignment.Assigned a) {
          // while this execution holds the GPU, no other may take it: the trigger would fail that statement
          store.start(a.execution().id(), a.execution().attempt(), worker.id(), NOW);
          store.finish(a.execution().id(), a.execution().attempt(), ExecutionStatus.SUCCEEDED,
              ExecutionResult.message("ok"), NOW);
          ran.add(a.execution());
        }
      }
    });

    assertThat(ran).hasSize(count);
    assertThat(ran).extracting(Execution::id).doesNotHaveDuplicates();
    assertThat(waits).containsOnly(RejectionCode.GPU_BUSY.wireName());
    assertThat(query("SELECT count(*) FROM execution WHERE status = 'succeeded' AND attempt = 1"))
        .containsExactly(count);
    assertThat(gpusHeld()).isZero();
    assertThat(query("SELECT running FROM worker")).containsExactly(0);
  }

  private Execution create() {
    return setup.executions().create(new ExecutionRequest(NEEDS_ONE_GPU, Map.of()), NOW);
  }

  /** A scheduler's decision on the fleet as its own connection reads it now. */
  private PlacementDecision decide(int scheduler) {
    return policy.decide(NEEDS_ONE_GPU, schedulers.get(scheduler).directory().candidatesFor(NEEDS_ONE_GPU), NOW);
  }

  private int gpusHeld() throws Exception {
    return query("SELECT coalesce((reserved ->> 'gpus')::int, 0) FROM worker WHERE id = " + worker.id()).get(0);
  }

  private interface Prepare<T> {
    T run(int scheduler) throws Exception;
  }

  private interface Act<T> {
    void run(int scheduler, T prepared) throws Exception;
  }

  /** Each scheduler prepares, then all act at once. */
  private <T> void runConcurrently(Prepare<T> prepare, Act<T> act) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(SCHEDULERS);
    CountDownLatch go = new CountDownLatch(1);
    CyclicBarrier prepared = new CyclicBarrier(SCHEDULERS);
    try {
      List<Future<Void>> done = new ArrayList<>();
      for (int i = 0; i < SCHEDULERS; i++) {
        int scheduler = i;
        Callable<Void> task = () -> {
          go.await();
          T mine = prepare.run(scheduler);
          prepared.await(30, TimeUnit.SECONDS);
          act.run(scheduler, mine);
          return null;
        };
        done.add(pool.submit(task));
      }
      go.countDown();
      for (Future<Void> future : done) {
        future.get(90, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private List<Integer> query(String sql) throws Exception {
    List<Integer> values = new ArrayList<>();
    try (Connection c = db.jdbc(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        values.add(r.getInt(1));
      }
    }
    return values;
  }
}
