package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.Fixtures.NOW;
import static io.attune.worker.adapter.postgres.Fixtures.request;
import static io.attune.worker.adapter.postgres.Fixtures.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.port.out.ExecutionStore.Assignment;
import io.attune.worker.core.port.out.ExecutionStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
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
 * Several schedulers, each with a pool and a connection of its own, place many executions on a few workers at once.
 * The invariants are checked from the database afterwards; during the run, a trigger installed by the test fails
 * any statement that would raise a worker's reserved capacity above its limit.
 */
class ConcurrentSchedulingIT {

  private static final int SCHEDULERS = 6;
  private static final int EXECUTIONS = 240;
  private static final Map<String, Integer> CAPACITY = Map.of("w-a", 3, "w-b", 5, "w-c", 7);

  private static TestDatabase db;
  private static PostgresAdapter setup;
  private final List<PostgresAdapter> schedulers = new ArrayList<>();
  private List<Worker> workers;
  private List<ExecutionId> executions;

  @BeforeAll
  static void database() throws Exception {
    db = TestDatabase.migrated("concurrency");
    setup = PostgresAdapter.connect(db.settings());
    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      s.execute("""
          CREATE FUNCTION watch_capacity() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.running > (NEW.capabilities ->> 'max_concurrent_executions')::int THEN
              RAISE EXCEPTION 'worker % would run % executions, above its limit', NEW.name, NEW.running;
            END IF;
            RETURN NEW;
          END $$""");
      s.execute("CREATE TRIGGER watch_capacity BEFORE UPDATE ON worker FOR EACH ROW EXECUTE FUNCTION watch_capacity()");
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
  void fleetAndQueue() {
    db.truncate();
    workers = new ArrayList<>();
    CAPACITY.forEach((name, max) -> workers.add(setup.registry().register(worker(name, max, "shell"), NOW)));
    executions = new ArrayList<>();
    for (int i = 0; i < EXECUTIONS; i++) {
      executions.add(setup.executions().create(request("pack.a", "shell"), NOW).id());
    }
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
  void racing_schedulers_fill_each_worker_exactly_to_its_limit_and_place_each_execution_once() throws Exception {
    ConcurrentLinkedQueue<Assignment.Assigned> placed = new ConcurrentLinkedQueue<>();

    runConcurrently(scheduler -> {
      ExecutionStore store = schedulers.get(scheduler).executions();
      Random random = new Random(scheduler);
      List<ExecutionId> order = new ArrayList<>(executions);
      Collections.shuffle(order, random);
      for (ExecutionId id : order) {
        Worker target = workers.get(random.nextInt(workers.size()));
        if (store.assign(id, target.id(), NOW) instanceof Assignment.Assigned assigned) {
          placed.add(assigned);
        }
      }
    });

    int total = CAPACITY.values().stream().mapToInt(Integer::intValue).sum();
    assertThat(placed).hasSize(total);
    assertThat(placed).extracting(a -> a.execution().id()).doesNotHaveDuplicates();
    for (Worker w : workers) {
      int max = CAPACITY.get(w.name());
      assertThat(query("SELECT running FROM worker WHERE id = " + w.id())).containsExactly(max);
      assertThat(query("SELECT count(*) FROM execution WHERE worker = " + w.id() + " AND status = 'scheduled'"))
          .containsExactly(max);
    }
    assertThat(query("SELECT count(*) FROM execution WHERE attempt > 1")).containsExactly(0);
    assertThat(query("SELECT count(*) FROM execution WHERE status = 'requested' AND attempt = 0"))
        .containsExactly(EXECUTIONS - total);
  }

  @Test
  void schedulers_that_also_finish_what_they_placed_run_every_execution_exactly_once() throws Exception {
    ConcurrentLinkedQueue<Assignment.Assigned> placed = new ConcurrentLinkedQueue<>();

    runConcurrently(scheduler -> {
      ExecutionStore store = schedulers.get(scheduler).executions();
      Random random = new Random(100 + scheduler);
      while (true) {
        List<Execution> waiting = store.waiting();
        if (waiting.isEmpty()) {
          return;
        }
        // take from the head of the queue like a scheduler does, so that the schedulers fight over the same rows
        Execution next = waiting.get(random.nextInt(Math.min(4, waiting.size())));
        Worker target = workers.get(random.nextInt(workers.size()));
        if (store.assign(next.id(), target.id(), NOW) instanceof Assignment.Assigned assigned) {
          placed.add(assigned);
          int attempt = assigned.execution().attempt();
          assertThat(store.start(next.id(), attempt, target.id(), NOW).applied()).isTrue();
          assertThat(store.finish(next.id(), attempt, ExecutionStatus.SUCCEEDED, ExecutionResult.message("ok"), NOW)
              .applied()).isTrue();
        }
      }
    });

    assertThat(placed).hasSize(EXECUTIONS);
    assertThat(placed).extracting(a -> a.execution().id()).doesNotHaveDuplicates();
    assertThat(query("SELECT count(*) FROM execution WHERE status = 'succeeded' AND attempt = 1"))
        .containsExactly(EXECUTIONS);
    assertThat(query("SELECT running FROM worker")).containsOnly(0);
  }

  @Test
  void a_finish_racing_another_finish_applies_once_and_gives_the_slot_back_once() throws Exception {
    ExecutionStore store = setup.executions();
    Worker w = workers.stream().filter(x -> x.name().equals("w-c")).findFirst().orElseThrow();
    List<Execution> held = new ArrayList<>();
    for (ExecutionId id : executions.subList(0, CAPACITY.get("w-c"))) {
      Execution placed = ((Assignment.Assigned) store.assign(id, w.id(), NOW)).execution();
      store.start(id, placed.attempt(), w.id(), NOW);
      held.add(placed);
    }
    // the others stay held, so a slot given back twice would show in the count instead of stopping at zero
    List<Execution> raced = held.subList(0, 4);
    ConcurrentLinkedQueue<ExecutionId> applied = new ConcurrentLinkedQueue<>();

    runConcurrently(scheduler -> {
      ExecutionStore mine = schedulers.get(scheduler).executions();
      for (Execution e : raced) {
        boolean done = scheduler % 2 == 0
            ? mine.finish(e.id(), e.attempt(), ExecutionStatus.SUCCEEDED, ExecutionResult.message("ok"), NOW)
                .applied()
            : mine.finish(e.id(), e.attempt(), ExecutionStatus.FAILED, ExecutionResult.message("failed"), NOW)
                .applied();
        if (done) {
          applied.add(e.id());
        }
      }
    });

    assertThat(applied).hasSize(raced.size()).doesNotHaveDuplicates();
    assertThat(query("SELECT running FROM worker WHERE id = " + w.id()))
        .containsExactly(CAPACITY.get("w-c") - raced.size());
  }

  @Test
  void a_recovery_racing_a_cancel_request_never_queues_the_execution_again() throws Exception {
    ExecutionStore store = setup.executions();
    Worker w = workers.stream().filter(x -> x.name().equals("w-c")).findFirst().orElseThrow();
    List<Execution> raced = new ArrayList<>();
    for (ExecutionId id : executions.subList(0, CAPACITY.get("w-c"))) {
      Execution placed = ((Assignment.Assigned) store.assign(id, w.id(), NOW)).execution();
      store.start(id, placed.attempt(), w.id(), NOW);
      raced.add(placed);
    }

    runConcurrently(scheduler -> {
      ExecutionStore mine = schedulers.get(scheduler).executions();
      for (Execution e : raced) {
        if (scheduler % 2 == 0) {
          mine.recover(e.id(), e.attempt(), true, "worker lost", NOW);
        } else {
          mine.requestCancel(e.id(), "stop", NOW);
        }
      }
    });

    // each one was either requeued before the request (then cancelled at once by it) or cancelled by the recovery
    for (Execution e : raced) {
      assertThat(store.find(e.id()).orElseThrow().status()).as("execution " + e.id())
          .isEqualTo(ExecutionStatus.CANCELLED);
    }
    assertThat(store.waiting()).extracting(Execution::id).doesNotContainAnyElementsOf(
        raced.stream().map(Execution::id).toList());
    assertThat(query("SELECT running FROM worker WHERE id = " + w.id())).containsExactly(0);
  }

  private interface Scheduler {
    void run(int scheduler) throws Exception;
  }

  private void runConcurrently(Scheduler body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(SCHEDULERS);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Void>> done = new ArrayList<>();
      for (int i = 0; i < SCHEDULERS; i++) {
        int scheduler = i;
        Callable<Void> task = () -> {
          go.await();
          body.run(scheduler);
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
