package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.Fixtures.NOW;
import static io.attune.worker.adapter.postgres.Fixtures.request;
import static io.attune.worker.adapter.postgres.Fixtures.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.Gpu;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.GpuRequirement;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.out.ExecutionStore.Assignment;
import io.attune.worker.core.port.out.WorkerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The statements that serve several concurrent calls at once ({@link ExecutionBatches}) answer each call as the
 * statement for one execution would have: called here directly with several items, then through the store's
 * ports from many threads at once, where the grouping happens on its own.
 */
class GroupedStatementsIT {

  @RegisterExtension
  static final MigratedDatabase db = new MigratedDatabase("grouped");
  private PostgresExecutionStore store;
  private WorkerRegistry registry;

  @BeforeEach
  void empty() {
    db.truncate();
    store = (PostgresExecutionStore) db.adapter().executions();
    registry = db.adapter().registry();
  }

  @Test
  void placements_together_give_a_worker_its_free_slots_in_order_and_no_more() {
    Worker two = registry.register(worker("two", 2, "shell"), NOW);
    Worker one = registry.register(worker("one", 1, "shell"), NOW);
    List<ExecutionId> ids = create(5);

    List<Assignment> answers = store.assignTogether(List.of(placement(ids.get(0), two), placement(ids.get(1), one),
        placement(ids.get(2), two), placement(ids.get(3), two), placement(ids.get(4), one)));

    assertThat(answers).extracting(a -> a.getClass().getSimpleName())
        .containsExactly("Assigned", "Assigned", "Assigned", "WorkerFull", "WorkerFull");
    assertThat(((Assignment.WorkerFull) answers.get(3)).worker()).isEqualTo(two.id());
    Execution placed = ((Assignment.Assigned) answers.get(0)).execution();
    assertThat(placed.status()).isEqualTo(ExecutionStatus.SCHEDULED);
    assertThat(placed.worker()).contains(two.id());
    assertThat(placed.attempt()).isEqualTo(1);
    assertThat(placed.attempts()).hasSize(1);
    assertThat(placed.attempts().get(0).worker()).isEqualTo(two.id());
    assertThat(placed).isEqualTo(store.find(placed.id()).orElseThrow());
    assertThat(running("two")).isEqualTo(2);
    assertThat(running("one")).isEqualTo(1);
    assertThat(store.find(ids.get(3)).orElseThrow().status()).isEqualTo(ExecutionStatus.REQUESTED);
  }

  @Test
  void placements_together_refuse_what_the_one_execution_statement_refuses() {
    Worker open = registry.register(worker("open", 4, "shell"), NOW);
    Worker cordoned = registry.register(worker("cordoned", 4, "shell"), NOW);
    registry.setCordoned("cordoned", true);
    Worker stale = registry.register(worker("stale", 4, "shell"), NOW);
    Instant muchLater = NOW.plus(Duration.ofMinutes(10));
    registry.heartbeat(open.id(), muchLater);
    registry.heartbeat(cordoned.id(), muchLater);
    List<ExecutionId> ids = create(4);
    store.assign(ids.get(3), open.id(), muchLater);

    List<Assignment> answers = store.assignTogether(List.of(new ExecutionBatches.Placement(ids.get(0), cordoned.id(),
        muchLater), new ExecutionBatches.Placement(ids.get(1), stale.id(), muchLater),
        new ExecutionBatches.Placement(ids.get(2), open.id(), muchLater),
        new ExecutionBatches.Placement(ids.get(3), open.id(), muchLater)));

    assertThat(answers.get(0)).isEqualTo(new Assignment.WorkerFull(cordoned.id()));
    assertThat(answers.get(1)).isEqualTo(new Assignment.WorkerFull(stale.id()));
    assertThat(answers.get(2)).isInstanceOf(Assignment.Assigned.class);
    assertThat(answers.get(3)).isInstanceOf(Assignment.NotWaiting.class);
    assertThat(((Assignment.NotWaiting) answers.get(3)).execution().status()).isEqualTo(ExecutionStatus.SCHEDULED);
    assertThat(running("open")).isEqualTo(2);
    assertThat(running("cordoned")).isZero();
    assertThat(running("stale")).isZero();
  }

  @Test
  void an_execution_needing_gpus_is_placed_by_the_one_execution_statement_within_a_group() {
    Worker gpu = registry.register(new WorkerRegistration("gpu", WorkerType.LOCAL, "host", Capabilities.builder()
        .maxConcurrentExecutions(4).runtime(RuntimeName.of("python"))
        .gpu(new Gpu("NVIDIA A100-SXM4-80GB", 81920)).build(), Duration.ofSeconds(30)), NOW);
    ActionRequirements needsGpu = ActionRequirements.of("ml.train", RuntimeName.of("python"))
        .withGpu(new GpuRequirement(1, 40_000));
    ExecutionId first = store.create(new ExecutionRequest(needsGpu, Map.of()), NOW).id();
    ExecutionId second = store.create(new ExecutionRequest(needsGpu, Map.of()), NOW).id();
    ExecutionId plain = store.create(request("demo.plain", "python"), NOW).id();

    List<Assignment> answers = store.assignTogether(List.of(placement(first, gpu), placement(second, gpu),
        placement(plain, gpu)));

    assertThat(answers).extracting(a -> a.getClass().getSimpleName())
        .containsExactly("Assigned", "WorkerFull", "Assigned");
    assertThat(running("gpu")).isEqualTo(2);
    assertThat(gpusHeld("gpu")).isEqualTo(1);
  }

  @Test
  void a_group_places_executions_asking_for_several_kinds_within_every_count_and_gives_all_of_it_back_together() {
    Worker gpus = registry.register(new WorkerRegistration("gpus", WorkerType.LOCAL, "host", Capabilities.builder()
        .maxConcurrentExecutions(3).runtime(RuntimeName.of("python")).gpu(new Gpu("NVIDIA A100-SXM4-80GB", 81920))
        .gpu(new Gpu("NVIDIA A100-SXM4-80GB", 81920)).build(), Duration.ofSeconds(30)), NOW);
    ActionRequirements needsTwo = ActionRequirements.of("ml.train", RuntimeName.of("python"))
        .withGpu(new GpuRequirement(2, 0));
    ActionRequirements needsOne = needsTwo.withGpu(new GpuRequirement(1, 0));
    List<ExecutionId> ids = List.of(store.create(new ExecutionRequest(needsOne, Map.of()), NOW).id(),
        store.create(request("demo.plain", "python"), NOW).id(),
        store.create(new ExecutionRequest(needsTwo, Map.of()), NOW).id(),
        store.create(new ExecutionRequest(needsOne, Map.of()), NOW).id());

    List<Assignment> answers = store.assignTogether(ids.stream().map(id -> placement(id, gpus)).toList());

    // one GPU, a slot, then two GPUs: one too many; then the second of the two GPUs and the last slot
    assertThat(answers).extracting(a -> a.getClass().getSimpleName())
        .containsExactly("Assigned", "Assigned", "WorkerFull", "Assigned");
    assertThat(db.adapter().directory().byName("gpus").orElseThrow().reserved().asMap())
        .isEqualTo(Map.of("slots", 3, "gpus", 2));
    List<ExecutionBatches.Change> ends = answers.stream().filter(Assignment.Assigned.class::isInstance)
        .map(a -> ((Assignment.Assigned) a).execution())
        .map(e -> new ExecutionBatches.Change(e, e.cancel("stop", NOW.plusSeconds(1)).execution())).toList();
    assertThat(store.finishTogether(ends)).allMatch(Optional::isPresent);
    assertThat(db.adapter().directory().byName("gpus").orElseThrow().reserved().isEmpty()).isTrue();
  }

  @Test
  void starts_together_start_the_current_attempts_and_judge_the_others_on_the_stored_row() {
    Worker w = registry.register(worker("w", 4, "shell"), NOW);
    List<Execution> placed = create(3).stream().map(id -> assigned(id, w)).toList();
    Instant later = NOW.plusSeconds(1);

    List<Optional<Transition>> answers = store.startTogether(List.of(
        new ExecutionBatches.Start(placed.get(0).id(), 1, w.id(), later),
        new ExecutionBatches.Start(placed.get(1).id(), 2, w.id(), later),
        new ExecutionBatches.Start(new ExecutionId(999_999), 1, w.id(), later),
        new ExecutionBatches.Start(placed.get(2).id(), 1, w.id(), later)));

    Transition started = answers.get(0).orElseThrow();
    assertThat(started.applied()).isTrue();
    assertThat(started.execution().status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(started.execution().startedAt()).contains(later);
    assertThat(started.execution().attempts().get(0).startedAt()).contains(later);
    assertThat(started.execution()).isEqualTo(store.find(placed.get(0).id()).orElseThrow());
    Transition wrongAttempt = answers.get(1).orElseThrow();
    assertThat(wrongAttempt.applied()).isFalse();
    assertThat(((Transition.Refused) wrongAttempt).reason()).isEqualTo(((Transition.Refused) placed.get(1)
        .start(2, w.id(), later)).reason());
    assertThat(answers.get(2)).isEmpty();
    assertThat(answers.get(3).orElseThrow().applied()).isTrue();
  }

  @Test
  void ends_together_write_each_row_still_as_copied_and_give_every_slot_back_once() {
    Worker w = registry.register(worker("w", 4, "shell"), NOW);
    List<Execution> running = create(3).stream().map(id -> assigned(id, w))
        .map(e -> store.startDispatched(e.id(), e.attempt(), w.id(), NOW).orElseThrow().execution()).toList();
    // the third moved on since its copy was taken: an operator asked to cancel it
    store.requestCancel(running.get(2).id(), "operator", NOW);
    ExecutionResult ok = new ExecutionResult(Optional.of(0), "out", "", Map.of("n", 1), "exit code 0");
    Instant later = NOW.plusSeconds(2);

    List<Optional<Execution>> written = store.finishTogether(running.stream().map(e -> new ExecutionBatches.Change(e,
        e.finish(e.attempt(), ExecutionStatus.SUCCEEDED, ok, later).execution())).toList());

    assertThat(written.get(0)).isPresent();
    assertThat(written.get(0).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(written.get(0).orElseThrow().result()).contains(ok);
    assertThat(written.get(0).orElseThrow()).isEqualTo(store.find(running.get(0).id()).orElseThrow());
    assertThat(written.get(1)).isPresent();
    assertThat(written.get(2)).isEmpty();
    assertThat(store.find(running.get(2).id()).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(running("w")).isEqualTo(1);
  }

  @Test
  void finds_together_answer_every_id_present_or_not() {
    List<ExecutionId> ids = create(2);

    List<Optional<Execution>> found = store.findTogether(List.of(ids.get(1), new ExecutionId(424_242), ids.get(0)));

    assertThat(found.get(0).map(Execution::id)).contains(ids.get(1));
    assertThat(found.get(1)).isEmpty();
    assertThat(found.get(2).map(Execution::id)).contains(ids.get(0));
  }

  @Test
  void many_threads_placing_starting_and_ending_at_once_never_overcommit_and_give_every_slot_back()
      throws Exception {
    int threads = 16;
    List<Worker> workers = List.of(registry.register(worker("a", 3, "shell"), NOW),
        registry.register(worker("b", 2, "shell"), NOW));
    List<ExecutionId> ids = create(threads * 4);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CyclicBarrier together = new CyclicBarrier(threads);
    try {
      List<Future<List<Assignment>>> placing = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<ExecutionId> mine = ids.subList(t * 4, t * 4 + 4);
        Worker target = workers.get(t % 2);
        placing.add(pool.submit(() -> {
          together.await();
          List<Assignment> answers = new ArrayList<>();
          for (ExecutionId id : mine) {
            answers.add(store.assign(id, target.id(), NOW));
          }
          return answers;
        }));
      }
      List<Execution> placed = new ArrayList<>();
      for (Future<List<Assignment>> f : placing) {
        f.get().stream().filter(a -> a instanceof Assignment.Assigned)
            .forEach(a -> placed.add(((Assignment.Assigned) a).execution()));
      }
      assertThat(placed).hasSize(5);
      assertThat(running("a")).isEqualTo(3);
      assertThat(running("b")).isEqualTo(2);

      List<Future<Transition>> ending = new ArrayList<>();
      CyclicBarrier ends = new CyclicBarrier(placed.size());
      for (Execution e : placed) {
        ending.add(pool.submit(() -> {
          ends.await();
          Execution started = store.startDispatched(e.id(), e.attempt(), e.worker().orElseThrow(), NOW)
              .orElseThrow().execution();
          return store.finish(started, ExecutionStatus.SUCCEEDED, ExecutionResult.message("done"), NOW);
        }));
      }
      for (Future<Transition> f : ending) {
        assertThat(f.get().applied()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(running("a")).isZero();
    assertThat(running("b")).isZero();
    assertThat(ids.stream().map(id -> store.find(id).orElseThrow().status()))
        .containsOnly(ExecutionStatus.SUCCEEDED, ExecutionStatus.REQUESTED)
        .filteredOn(s -> s == ExecutionStatus.SUCCEEDED).hasSize(5);
  }

  private List<ExecutionId> create(int count) {
    List<ExecutionId> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(store.create(request("demo.e" + i, "shell"), NOW).id());
    }
    return ids;
  }

  private Execution assigned(ExecutionId id, Worker worker) {
    return ((Assignment.Assigned) store.assign(id, worker.id(), NOW)).execution();
  }

  private static ExecutionBatches.Placement placement(ExecutionId id, Worker worker) {
    return new ExecutionBatches.Placement(id, worker.id(), NOW);
  }

  private int running(String worker) {
    return db.adapter().directory().byName(worker).orElseThrow().running();
  }

  private int gpusHeld(String worker) {
    return db.adapter().directory().byName(worker).orElseThrow().reserved().of("gpus");
  }
}
