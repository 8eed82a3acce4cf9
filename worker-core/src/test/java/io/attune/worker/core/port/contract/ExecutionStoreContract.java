package io.attune.worker.core.port.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.Gpu;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.execution.Attempt;
import io.attune.worker.core.model.execution.AttemptOutcome;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionQuery;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.Affinity;
import io.attune.worker.core.model.placement.requirement.AffinityTerm;
import io.attune.worker.core.model.placement.requirement.GpuRequirement;
import io.attune.worker.core.model.placement.requirement.MatchExpression;
import io.attune.worker.core.model.placement.requirement.MatchOperator;
import io.attune.worker.core.model.placement.requirement.Toleration;
import io.attune.worker.core.model.placement.requirement.TolerationOperator;
import io.attune.worker.core.model.placement.requirement.WeightedTerm;
import io.attune.worker.core.model.placement.rule.ResourceKinds;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.VersionConstraint;
import io.attune.worker.core.model.worker.Reservations;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.out.ExecutionStore.Assignment;
import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.port.out.WorkerDirectory;
import io.attune.worker.core.port.out.WorkerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link ExecutionStore} must do, together with the registry whose capacity it reserves. Extend it with a
 * factory for a fresh, empty store of your adapter.
 */
public abstract class ExecutionStoreContract {

  /** Instants are whole milliseconds, which every store keeps exactly. */
  protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  protected static final Duration INTERVAL = Duration.ofSeconds(30);

  private WorkerRegistry registry;
  private WorkerDirectory directory;
  private ExecutionStore store;

  /** A registry and an execution store without workers or executions, sharing state; called before each test. */
  protected abstract StoreUnderTest create();

  @BeforeEach
  public void createStoreUnderTest() {
    StoreUnderTest underTest = create();
    registry = underTest.registry();
    directory = underTest.directory();
    store = underTest.store();
  }

  /** Requirements using every field, to check that they are kept whole. */
  protected static ActionRequirements richRequirements() {
    return new ActionRequirements(ActionRef.parse("demo.hello"), RuntimeName.PYTHON,
        VersionConstraint.parse(">=3.8,<4"),
        Map.of(RuntimeName.NODE, VersionConstraint.parse("^18")),
        Map.of("zone", "east"),
        List.of(new Toleration("gpu", TolerationOperator.EQUAL, "true", Optional.of(TaintEffect.NO_SCHEDULE)),
            new Toleration("spot", TolerationOperator.EXISTS, "", Optional.empty())),
        new Affinity(
            List.of(new AffinityTerm(Map.of("zone", "east"),
                List.of(new MatchExpression("disk", MatchOperator.IN, List.of("ssd", "nvme"))))),
            List.of(new WeightedTerm(50, AffinityTerm.labels(Map.of("tier", "gold")))),
            List.of(new AffinityTerm(Map.of(), List.of(new MatchExpression("flaky", MatchOperator.EXISTS,
                List.of()))))));
  }

  protected static ExecutionRequest request() {
    return new ExecutionRequest(ActionRequirements.of("demo.hello", RuntimeName.SHELL), Map.of("name", "Ada"));
  }

  private Worker worker(String name, int maxConcurrent) {
    return registry.register(new WorkerRegistration(name, WorkerType.LOCAL, "host",
        Capabilities.builder().runtime(RuntimeName.SHELL).maxConcurrentExecutions(maxConcurrent).build(), INTERVAL),
        T0);
  }

  /** A worker with GPUs of this memory. */
  private Worker gpuWorker(String name, int maxConcurrent, int gpus, int memoryMib) {
    Capabilities.Builder caps = Capabilities.builder().runtime(RuntimeName.SHELL).maxConcurrentExecutions(maxConcurrent);
    for (int i = 0; i < gpus; i++) {
      caps.gpu(new Gpu("NVIDIA A100-SXM4-80GB", memoryMib));
    }
    return registry.register(new WorkerRegistration(name, WorkerType.LOCAL, "host", caps.build(), INTERVAL), T0);
  }

  /** An execution of an action that needs GPUs. */
  private Execution needingGpus(int count, int minMemoryMib) {
    return store.create(new ExecutionRequest(ActionRequirements.of("ml.train", RuntimeName.SHELL)
        .withGpu(new GpuRequirement(count, minMemoryMib)), Map.of()), T0);
  }

  private int gpusHeld(Worker worker) {
    return directory.byId(worker.id()).orElseThrow().reserved().of("gpus");
  }

  private int running(Worker worker) {
    return directory.byId(worker.id()).orElseThrow().running();
  }

  private Execution stored(Execution execution) {
    return store.find(execution.id()).orElseThrow();
  }

  private Execution assigned(Execution execution, Worker worker) {
    Assignment assignment = store.assign(execution.id(), worker.id(), T0.plusSeconds(1));
    assertThat(assignment).isInstanceOf(Assignment.Assigned.class);
    return ((Assignment.Assigned) assignment).execution();
  }

  @Test
  public void a_created_execution_is_requested_at_attempt_zero_and_can_be_found() {
    Execution created = store.create(request(), T0);

    for (Execution e : List.of(created, stored(created))) {
      assertThat(e.id()).isEqualTo(created.id());
      assertThat(e.actionRef()).hasToString("demo.hello");
      assertThat(e.status()).isEqualTo(ExecutionStatus.REQUESTED);
      assertThat(e.attempt()).isZero();
      assertThat(e.worker()).isEmpty();
      assertThat(e.result()).isEmpty();
      assertThat(e.requestedAt()).isEqualTo(T0);
      assertThat(e.startedAt()).isEmpty();
      assertThat(e.endedAt()).isEmpty();
    }
  }

  @Test
  public void requirements_and_parameters_survive_a_round_trip() {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("name", "Ada");
    parameters.put("loud", true);
    parameters.put("tags", List.of("a", "b"));
    parameters.put("options", Map.of("colour", "blue"));
    parameters.put("count", 3);

    Execution created = store.create(new ExecutionRequest(richRequirements(), parameters), T0);

    Execution found = stored(created);
    assertThat(found.requirements()).isEqualTo(richRequirements());
    assertThat(found.parameters()).containsOnlyKeys("name", "loud", "tags", "options", "count");
    assertThat(found.parameters()).containsEntry("name", "Ada").containsEntry("loud", true)
        .containsEntry("tags", List.of("a", "b")).containsEntry("options", Map.of("colour", "blue"));
    assertThat(((Number) found.parameters().get("count")).longValue()).isEqualTo(3L);
  }

  @Test
  public void each_created_execution_gets_its_own_id_and_unknown_ids_are_not_found() {
    Execution a = store.create(request(), T0);
    Execution b = store.create(request(), T0);

    assertThat(a.id()).isNotEqualTo(b.id());
    long far = Math.max(a.id().value(), b.id().value());
    assertThat(store.find(new ExecutionId(far > Long.MAX_VALUE / 2 ? far / 2 : far + 1_000_000_007L))).isEmpty();
  }

  @Test
  public void assign_places_a_requested_execution_and_reserves_a_slot_of_the_worker() {
    Worker w = worker("w-1", 2);
    Execution created = store.create(request(), T0);

    Execution placed = assigned(created, w);

    for (Execution e : List.of(placed, stored(created))) {
      assertThat(e.status()).isEqualTo(ExecutionStatus.SCHEDULED);
      assertThat(e.attempt()).isEqualTo(1);
      assertThat(e.worker()).contains(w.id());
    }
    assertThat(running(w)).isEqualTo(1);
    assertThat(store.heldBy(w.id())).extracting(Execution::id).containsExactly(created.id());
  }

  @Test
  public void waiting_by_runtime_counts_only_requested_executions_per_runtime_and_leaves_out_runtimes_with_none() {
    ExecutionRequest python = new ExecutionRequest(ActionRequirements.of("demo.py", RuntimeName.PYTHON), Map.of());
    ExecutionRequest custom = new ExecutionRequest(ActionRequirements.of("demo.ml", RuntimeName.of("ml")), Map.of());
    Worker w = worker("w-1", 5);
    store.create(request(), T0);
    store.create(request(), T0);
    Execution placed = store.create(request(), T0);
    store.create(python, T0);
    Execution cancelled = store.create(custom, T0);
    assertThat(store.waitingByRuntime()).isEqualTo(Map.of(RuntimeName.SHELL, 3L, RuntimeName.PYTHON, 1L,
        RuntimeName.of("ml"), 1L));

    assigned(placed, w);
    store.requestCancel(cancelled.id(), "no longer wanted", T0.plusSeconds(1));

    assertThat(store.waitingByRuntime()).as("a placed and a cancelled execution no longer wait")
        .isEqualTo(Map.of(RuntimeName.SHELL, 2L, RuntimeName.PYTHON, 1L));
  }

  @Test
  public void assign_refuses_an_execution_that_is_no_longer_waiting_and_reserves_nothing() {
    Worker first = worker("w-1", 2);
    Worker second = worker("w-2", 2);
    Execution created = store.create(request(), T0);
    assigned(created, first);

    Assignment again = store.assign(created.id(), second.id(), T0.plusSeconds(2));

    assertThat(again).isInstanceOfSatisfying(Assignment.NotWaiting.class, notWaiting -> {
      assertThat(notWaiting.execution().status()).isEqualTo(ExecutionStatus.SCHEDULED);
      assertThat(notWaiting.execution().worker()).contains(first.id());
    });
    assertThat(running(first)).isEqualTo(1);
    assertThat(running(second)).isZero();
    assertThat(stored(created).attempt()).isEqualTo(1);
  }

  @Test
  public void assign_refuses_a_full_worker_and_leaves_the_execution_waiting() {
    Worker w = worker("w-1", 1);
    Execution first = store.create(request(), T0);
    Execution second = store.create(request(), T0);
    assigned(first, w);

    Assignment refused = store.assign(second.id(), w.id(), T0.plusSeconds(2));

    assertThat(refused).isInstanceOfSatisfying(Assignment.WorkerFull.class,
        full -> assertThat(full.worker()).isEqualTo(w.id()));
    assertThat(stored(second).status()).isEqualTo(ExecutionStatus.REQUESTED);
    assertThat(stored(second).attempt()).isZero();
    assertThat(running(w)).isEqualTo(1);
    assertThat(store.waiting()).extracting(Execution::id).containsExactly(second.id());
  }

  @Test
  public void assign_refuses_a_worker_that_takes_no_work_and_leaves_the_execution_waiting() {
    Worker cordoned = worker("cordoned", 2);
    registry.setCordoned("cordoned", true);
    Worker draining = worker("draining", 2);
    registry.markDraining(draining.id());
    Worker inactive = worker("inactive", 2);
    registry.markInactive(inactive.id());
    Worker silent = worker("silent", 2);
    Execution execution = store.create(request(), T0);

    for (Worker refusing : List.of(cordoned, draining, inactive)) {
      assertThat(store.assign(execution.id(), refusing.id(), T0.plusSeconds(1))).as(refusing.name())
          .isInstanceOf(Assignment.WorkerFull.class);
    }
    // three heartbeat intervals without a heartbeat: stale, by the same rule as placement's
    assertThat(store.assign(execution.id(), silent.id(), T0.plus(INTERVAL.multipliedBy(3))))
        .isInstanceOf(Assignment.WorkerFull.class);

    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.REQUESTED);
    for (Worker w : List.of(cordoned, draining, inactive, silent)) {
      assertThat(running(w)).as(w.name()).isZero();
    }
    assertThat(store.assign(execution.id(), silent.id(), T0.plus(INTERVAL.multipliedBy(3)).minusSeconds(1)))
        .isInstanceOf(Assignment.Assigned.class);
  }

  @Test
  public void assign_reserves_the_gpus_an_execution_needs_with_its_slot_and_refuses_a_worker_whose_gpus_are_taken() {
    Worker w = gpuWorker("gpu-1", 4, 1, 81920);
    Execution first = needingGpus(1, 40000);
    Execution second = needingGpus(1, 0);
    Execution cpuOnly = store.create(request(), T0);

    assigned(first, w);
    Assignment refused = store.assign(second.id(), w.id(), T0.plusSeconds(2));

    assertThat(refused).isInstanceOf(Assignment.WorkerFull.class);
    assertThat(stored(second).status()).isEqualTo(ExecutionStatus.REQUESTED);
    assertThat(gpusHeld(w)).isEqualTo(1);
    assertThat(running(w)).isEqualTo(1);
    assigned(cpuOnly, w); // free slots still take work that needs no GPU
    assertThat(gpusHeld(w)).isEqualTo(1);
    assertThat(running(w)).isEqualTo(2);
  }

  @Test
  public void assign_refuses_a_worker_without_enough_gpus_of_enough_memory() {
    Worker small = gpuWorker("small", 4, 2, 16384);
    Worker none = worker("none", 4);
    Execution big = needingGpus(1, 40000);
    Execution two = needingGpus(3, 0);

    assertThat(store.assign(big.id(), small.id(), T0.plusSeconds(1))).isInstanceOf(Assignment.WorkerFull.class);
    assertThat(store.assign(two.id(), small.id(), T0.plusSeconds(1))).isInstanceOf(Assignment.WorkerFull.class);
    assertThat(store.assign(big.id(), none.id(), T0.plusSeconds(1))).isInstanceOf(Assignment.WorkerFull.class);
    assertThat(gpusHeld(small)).isZero();
    assertThat(running(small)).isZero();
  }

  @Test
  public void every_way_an_execution_lets_go_of_its_worker_gives_its_gpus_back() {
    Worker w = gpuWorker("gpu-1", 8, 2, 81920);
    Execution finished = assigned(needingGpus(2, 0), w);
    store.start(finished.id(), finished.attempt(), finished.worker().orElseThrow(), T0.plusSeconds(2));
    store.finish(finished.id(), finished.attempt(), ExecutionStatus.SUCCEEDED, ExecutionResult.message("ok"),
        T0.plusSeconds(3));
    assertThat(gpusHeld(w)).as("after finish").isZero();

    Execution requeued = assigned(needingGpus(2, 0), w);
    store.recover(requeued.id(), requeued.attempt(), true, "lost", T0.plusSeconds(4));
    assertThat(gpusHeld(w)).as("after recover").isZero();

    Execution undelivered = assigned(needingGpus(1, 0), w);
    store.requeueUndelivered(undelivered.id(), undelivered.attempt(), "nack", T0.plusSeconds(5));
    assertThat(gpusHeld(w)).as("after an undelivered dispatch").isZero();

    Execution cancelled = assigned(needingGpus(1, 0), w);
    store.requestCancel(cancelled.id(), "stop", T0.plusSeconds(6));
    assertThat(gpusHeld(w)).as("after a cancel before it started").isZero();
    assertThat(running(w)).isZero();
  }

  @Test
  public void a_worker_holds_exactly_what_its_executions_reserve_of_every_kind_and_nothing_once_they_end() {
    Worker w = gpuWorker("gpu-1", 8, 4, 81920);
    List<Execution> held = List.of(assigned(needingGpus(2, 0), w), assigned(store.create(request(), T0), w),
        assigned(needingGpus(1, 40000), w));

    Reservations expected = held.stream().map(e -> ResourceKinds.demand(e.requirements()))
        .reduce(Reservations.NONE, Reservations::plus);
    assertThat(directory.byId(w.id()).orElseThrow().reserved()).isEqualTo(expected)
        .isEqualTo(Reservations.of(Map.of("slots", 3, "gpus", 3)));
    for (Execution e : held) {
      store.start(e.id(), e.attempt(), w.id(), T0.plusSeconds(2));
      store.finish(e.id(), e.attempt(), ExecutionStatus.FAILED, ExecutionResult.message("no"), T0.plusSeconds(3));
    }
    assertThat(directory.byId(w.id()).orElseThrow().reserved()).isEqualTo(Reservations.NONE);
  }

  @Test
  public void a_worker_registering_again_keeps_the_gpus_its_executions_hold() {
    Worker w = gpuWorker("gpu-1", 4, 1, 81920);
    assigned(needingGpus(1, 0), w);

    Worker again = gpuWorker("gpu-1", 4, 1, 81920);

    assertThat(again.reserved().of("gpus")).isEqualTo(1);
    assertThat(store.assign(needingGpus(1, 0).id(), w.id(), T0.plusSeconds(2)))
        .isInstanceOf(Assignment.WorkerFull.class);
  }

  @Test
  public void start_with_the_current_attempt_marks_it_running() {
    Worker w = worker("w-1", 2);
    Execution placed = assigned(store.create(request(), T0), w);

    Transition started = store.start(placed.id(), placed.attempt(), placed.worker().orElseThrow(), T0.plusSeconds(3));

    assertThat(started).isInstanceOf(Transition.Applied.class);
    assertThat(stored(placed).status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(stored(placed).startedAt()).contains(T0.plusSeconds(3));
    assertThat(running(w)).isEqualTo(1);
  }

  @Test
  public void start_with_another_attempt_is_refused_and_changes_nothing() {
    Worker w = worker("w-1", 2);
    Execution placed = assigned(store.create(request(), T0), w);

    Transition started = store.start(placed.id(), placed.attempt() + 1, placed.worker().orElseThrow(), T0.plusSeconds(3));

    assertThat(started).isInstanceOfSatisfying(Transition.Refused.class,
        refused -> assertThat(refused.reason()).contains("attempt"));
    assertThat(stored(placed).status()).isEqualTo(ExecutionStatus.SCHEDULED);
    assertThat(stored(placed).startedAt()).isEmpty();
  }

  @Test
  public void start_dispatched_starts_a_scheduled_attempt_and_answers_with_the_execution_as_started() {
    Worker w = worker("w-1", 2);
    Execution placed = assigned(store.create(request(), T0), w);

    Optional<Transition> started = store.startDispatched(placed.id(), placed.attempt(), placed.worker().orElseThrow(), T0.plusSeconds(3));

    assertThat(started).hasValueSatisfying(t -> {
      assertThat(t).isInstanceOf(Transition.Applied.class);
      assertThat(t.execution()).isEqualTo(stored(placed));
      assertThat(t.execution().parameters()).isEqualTo(Map.of("name", "Ada"));
    });
    assertThat(stored(placed).status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(stored(placed).startedAt()).contains(T0.plusSeconds(3));
    assertThat(stored(placed).since()).isEqualTo(T0.plusSeconds(3));
    assertThat(running(w)).isEqualTo(1);
  }

  @Test
  public void start_dispatched_that_cannot_start_is_refused_with_the_execution_as_stored_and_changes_nothing() {
    Worker w = worker("w-1", 2);
    Execution placed = assigned(store.create(request(), T0), w);
    Execution running = store.start(placed.id(), placed.attempt(), placed.worker().orElseThrow(), T0.plusSeconds(3)).execution();
    Execution requeued = assigned(store.create(request(), T0), w);
    store.recover(requeued.id(), requeued.attempt(), true, "lost", T0.plusSeconds(4));

    Optional<Transition> again = store.startDispatched(placed.id(), placed.attempt(), placed.worker().orElseThrow(), T0.plusSeconds(5));
    Optional<Transition> otherAttempt = store.startDispatched(running.id(), placed.attempt() + 1, running.worker().orElseThrow(), T0.plusSeconds(5));
    Optional<Transition> late = store.startDispatched(requeued.id(), requeued.attempt(), requeued.worker().orElseThrow(), T0.plusSeconds(5));

    assertThat(again).hasValueSatisfying(t -> {
      assertThat(t).isInstanceOf(Transition.Refused.class);
      assertThat(t.execution()).isEqualTo(running);
    });
    assertThat(otherAttempt).hasValueSatisfying(t -> assertThat(t).isInstanceOfSatisfying(Transition.Refused.class,
        refused -> assertThat(refused.reason()).contains("attempt")));
    assertThat(late).hasValueSatisfying(t -> {
      assertThat(t).isInstanceOf(Transition.Refused.class);
      assertThat(t.execution().status()).isEqualTo(ExecutionStatus.REQUESTED);
    });
    assertThat(stored(placed)).isEqualTo(running);
    assertThat(stored(requeued).status()).isEqualTo(ExecutionStatus.REQUESTED);
    assertThat(stored(requeued).startedAt()).isEmpty();
    assertThat(running(w)).isEqualTo(1);
  }

  @Test
  public void start_dispatched_of_an_unknown_execution_is_empty() {
    assertThat(store.startDispatched(new ExecutionId(987_654), 1, new WorkerId(1), T0)).isEmpty();
  }

  @Test
  public void finish_of_a_held_copy_records_the_outcome_and_frees_the_slot_once() {
    Worker w = worker("w-1", 2);
    Execution placed = assigned(store.create(request(), T0), w);
    Execution other = assigned(store.create(request(), T0), w);
    Execution held = store.startDispatched(placed.id(), placed.attempt(), placed.worker().orElseThrow(), T0.plusSeconds(3)).orElseThrow()
        .execution();
    ExecutionResult result = new ExecutionResult(Optional.of(0), "out", "err", Map.of("ok", true), "exit code 0");

    Transition finished = store.finish(held, ExecutionStatus.SUCCEEDED, result, T0.plusSeconds(4));
    Transition again = store.finish(held, ExecutionStatus.FAILED, ExecutionResult.message("no"), T0.plusSeconds(5));

    assertThat(finished).isInstanceOf(Transition.Applied.class);
    assertThat(finished.execution()).isEqualTo(stored(placed));
    assertThat(again).isInstanceOf(Transition.Refused.class);
    Execution found = stored(placed);
    assertThat(found.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(found.startedAt()).contains(T0.plusSeconds(3));
    assertThat(found.endedAt()).contains(T0.plusSeconds(4));
    assertThat(found.result()).contains(result);
    assertThat(running(w)).isEqualTo(1);
    assertThat(store.heldBy(w.id())).extracting(Execution::id).containsExactly(other.id());
  }

  @Test
  public void finish_of_a_stale_copy_is_decided_on_the_stored_execution() {
    Worker lost = worker("lost", 1);
    Worker rescuer = worker("rescuer", 1);
    Execution first = assigned(store.create(request(), T0), lost);
    Execution held = store.start(first.id(), first.attempt(), lost.id(), T0.plusSeconds(3)).execution();
    store.recover(first.id(), first.attempt(), true, "lost", T0.plusSeconds(100));
    assigned(stored(first), rescuer);
    Execution second = store.start(first.id(), first.attempt() + 1, rescuer.id(), T0.plusSeconds(100))
        .execution();
    assertThat(second.status()).isEqualTo(ExecutionStatus.RUNNING);

    Transition late = store.finish(held, ExecutionStatus.SUCCEEDED, ExecutionResult.message("late"),
        T0.plusSeconds(101));

    assertThat(late).isInstanceOf(Transition.Refused.class);
    assertThat(late.execution()).isEqualTo(second);
    assertThat(stored(first)).isEqualTo(second);
    assertThat(running(lost)).isZero();
    assertThat(running(rescuer)).isEqualTo(1);
  }

  @Test
  public void finish_records_the_outcome_and_frees_the_slot() {
    Worker w = worker("w-1", 1);
    Execution placed = assigned(store.create(request(), T0), w);
    store.start(placed.id(), placed.attempt(), placed.worker().orElseThrow(), T0.plusSeconds(3));
    ExecutionResult result = new ExecutionResult(Optional.of(0), "hello Ada\n", "a warning\n",
        Map.of("greeting", "hello Ada", "ok", true), "exit code 0");

    Transition finished = store.finish(placed.id(), placed.attempt(), ExecutionStatus.SUCCEEDED, result,
        T0.plusSeconds(4));

    assertThat(finished.applied()).isTrue();
    Execution found = stored(placed);
    assertThat(found.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(found.endedAt()).contains(T0.plusSeconds(4));
    assertThat(found.worker()).contains(w.id());
    ExecutionResult kept = found.result().orElseThrow();
    assertThat(kept.exitCode()).contains(0);
    assertThat(kept.stdout()).isEqualTo("hello Ada\n");
    assertThat(kept.stderr()).isEqualTo("a warning\n");
    assertThat(kept.structured()).contains(Map.of("greeting", "hello Ada", "ok", true));
    assertThat(kept.message()).isEqualTo("exit code 0");
    assertThat(running(w)).isZero();
    assertThat(store.heldBy(w.id())).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = ExecutionStatus.class, names = {"SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED"})
  public void every_work_outcome_frees_the_slot_so_the_worker_can_take_the_next(ExecutionStatus outcome) {
    Worker w = worker("w-1", 1);
    Execution placed = assigned(store.create(request(), T0), w);
    store.start(placed.id(), placed.attempt(), placed.worker().orElseThrow(), T0.plusSeconds(3));
    Execution next = store.create(request(), T0);

    store.finish(placed.id(), placed.attempt(), outcome, ExecutionResult.message("done"), T0.plusSeconds(4));

    assertThat(stored(placed).status()).isEqualTo(outcome);
    assertThat(running(w)).isZero();
    assertThat(store.assign(next.id(), w.id(), T0.plusSeconds(5))).isInstanceOf(Assignment.Assigned.class);
  }

  @Test
  public void a_second_finish_is_refused_and_does_not_free_a_slot_twice() {
    Worker w = worker("w-1", 2);
    Execution placed = assigned(store.create(request(), T0), w);
    Execution other = assigned(store.create(request(), T0), w);
    store.finish(placed.id(), placed.attempt(), ExecutionStatus.FAILED, ExecutionResult.message("no"),
        T0.plusSeconds(4));

    Transition again = store.finish(placed.id(), placed.attempt(), ExecutionStatus.SUCCEEDED,
        ExecutionResult.message("yes"), T0.plusSeconds(5));

    assertThat(again).isInstanceOf(Transition.Refused.class);
    assertThat(stored(placed).status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(running(w)).isEqualTo(1);
    assertThat(store.heldBy(w.id())).extracting(Execution::id).containsExactly(other.id());
  }

  @Test
  public void recover_with_requeue_frees_the_slot_and_queues_the_execution_again() {
    Worker w = worker("w-1", 1);
    Execution placed = assigned(store.create(request(), T0), w);
    store.start(placed.id(), placed.attempt(), placed.worker().orElseThrow(), T0.plusSeconds(3));

    Transition recovered = store.recover(placed.id(), placed.attempt(), true, "worker w-1 was lost",
        T0.plusSeconds(100));

    assertThat(recovered.applied()).isTrue();
    Execution found = stored(placed);
    assertThat(found.status()).isEqualTo(ExecutionStatus.REQUESTED);
    assertThat(found.worker()).isEmpty();
    assertThat(found.attempt()).isEqualTo(1);
    assertThat(found.result().orElseThrow().message()).contains("worker w-1 was lost");
    assertThat(running(w)).isZero();
    assertThat(store.waiting()).extracting(Execution::id).containsExactly(placed.id());
  }

  @Test
  public void an_undelivered_dispatch_frees_the_slot_and_queues_the_execution_again() {
    Worker w = worker("w-1", 1);
    Execution placed = assigned(store.create(request(), T0), w);

    Transition requeued = store.requeueUndelivered(placed.id(), placed.attempt(), "dispatch to w-1 failed: nack",
        T0.plusSeconds(2));

    assertThat(requeued.applied()).isTrue();
    assertThat(stored(placed).status()).isEqualTo(ExecutionStatus.REQUESTED);
    assertThat(stored(placed).result().orElseThrow().message()).contains("nack");
    assertThat(running(w)).isZero();
  }

  @Test
  public void a_dispatch_called_undelivered_after_its_attempt_started_leaves_the_execution_running() {
    Worker w = worker("w-1", 1);
    Execution placed = assigned(store.create(request(), T0), w);
    store.start(placed.id(), placed.attempt(), placed.worker().orElseThrow(), T0.plusSeconds(3));

    // the confirm timed out, yet the worker had the message: requeuing would run the action twice
    Transition requeued = store.requeueUndelivered(placed.id(), placed.attempt(), "confirm timed out",
        T0.plusSeconds(11));

    assertThat(requeued).isInstanceOfSatisfying(Transition.Refused.class,
        refused -> assertThat(refused.reason()).contains("has started"));
    assertThat(stored(placed).status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(running(w)).isEqualTo(1);
  }

  @Test
  public void recover_without_requeue_abandons_the_execution_and_frees_the_slot() {
    Worker w = worker("w-1", 1);
    Execution placed = assigned(store.create(request(), T0), w);

    Transition recovered = store.recover(placed.id(), placed.attempt(), false, "no attempt left",
        T0.plusSeconds(100));

    assertThat(recovered.applied()).isTrue();
    Execution found = stored(placed);
    assertThat(found.status()).isEqualTo(ExecutionStatus.ABANDONED);
    assertThat(found.endedAt()).contains(T0.plusSeconds(100));
    assertThat(found.result().orElseThrow().message()).contains("no attempt left");
    assertThat(running(w)).isZero();
    assertThat(store.waiting()).isEmpty();
  }

  @Test
  public void a_late_result_from_an_earlier_attempt_is_refused_once_a_later_attempt_runs() {
    Worker lost = worker("lost", 1);
    Worker rescuer = worker("rescuer", 1);
    Execution first = assigned(store.create(request(), T0), lost);
    store.start(first.id(), first.attempt(), lost.id(), T0.plusSeconds(3));
    store.recover(first.id(), first.attempt(), true, "lost", T0.plusSeconds(100));
    Execution second = assigned(stored(first), rescuer);
    store.start(first.id(), second.attempt(), rescuer.id(), T0.plusSeconds(100));

    Transition late = store.finish(first.id(), first.attempt(), ExecutionStatus.SUCCEEDED,
        ExecutionResult.message("late"), T0.plusSeconds(101));
    Transition lateRecovery = store.recover(first.id(), first.attempt(), true, "again", T0.plusSeconds(102));

    assertThat(second.attempt()).isEqualTo(first.attempt() + 1);
    assertThat(late).isInstanceOf(Transition.Refused.class);
    assertThat(lateRecovery).isInstanceOf(Transition.Refused.class);
    Execution found = stored(first);
    assertThat(found.status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(found.worker()).contains(rescuer.id());
    assertThat(found.attempt()).isEqualTo(second.attempt());
    assertThat(running(lost)).isZero();
    assertThat(running(rescuer)).isEqualTo(1);
  }

  @Test
  public void the_run_of_a_requeued_attempt_ending_before_the_next_attempt_starts_ends_the_execution() {
    Worker paused = worker("paused", 1);
    Worker rescuer = worker("rescuer", 1);
    Execution first = assigned(store.create(request(), T0), paused);
    Execution held = store.start(first.id(), first.attempt(), paused.id(), T0.plusSeconds(3)).execution();
    store.recover(first.id(), first.attempt(), true, "worker paused past three heartbeats", T0.plusSeconds(100));
    Execution second = assigned(stored(first), rescuer);

    Transition late = store.finish(held, ExecutionStatus.SUCCEEDED, ExecutionResult.message("ran to the end"),
        T0.plusSeconds(101));

    assertThat(late.applied()).isTrue();
    Execution found = stored(first);
    assertThat(found.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(found.worker()).as("the worker whose run it was").contains(paused.id());
    assertThat(found.attempt()).isEqualTo(second.attempt());
    assertThat(found.attempts()).extracting(a -> a.outcome().orElseThrow())
        .containsExactly(AttemptOutcome.SUCCEEDED, AttemptOutcome.SUPERSEDED);
    assertThat(running(paused)).isZero();
    assertThat(running(rescuer)).as("the superseded attempt's slot was given back").isZero();
    assertThat(store.start(first.id(), second.attempt(), rescuer.id(), T0.plusSeconds(102)).applied())
        .as("the superseded attempt's late start").isFalse();
  }

  @Test
  public void an_attempt_is_started_only_by_the_worker_it_was_placed_on() {
    Worker placedOn = worker("placed-on", 1);
    Worker other = worker("other", 1);
    Execution placed = assigned(store.create(request(), T0), placedOn);

    Optional<Transition> misrouted = store.startDispatched(placed.id(), placed.attempt(), other.id(),
        T0.plusSeconds(1));

    assertThat(misrouted).hasValueSatisfying(t -> {
      assertThat(t.applied()).isFalse();
      assertThat(t.execution().placedElsewhere(placed.attempt(), other.id())).isTrue();
    });
    assertThat(stored(placed).status()).isEqualTo(ExecutionStatus.SCHEDULED);
    assertThat(running(other)).isZero();
    assertThat(store.startDispatched(placed.id(), placed.attempt(), placedOn.id(), T0.plusSeconds(2)))
        .hasValueSatisfying(t -> assertThat(t.applied()).isTrue());
  }

  @Test
  public void mark_unschedulable_keeps_the_explanation_tree_as_the_result() {
    Execution created = store.create(request(), T0);
    Map<String, Object> rejection = new LinkedHashMap<>();
    rejection.put("code", "runtime_missing");
    rejection.put("detail", "does not offer runtime python (offers shell)");
    Map<String, Object> worker = new LinkedHashMap<>();
    worker.put("name", "sh-1");
    worker.put("eligible", false);
    worker.put("score", 0);
    worker.put("rejections", List.of(rejection));
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("action", "demo.hello");
    tree.put("outcome", "unschedulable");
    tree.put("selected", null);
    tree.put("workers", List.of(worker));

    Transition marked = store.markUnschedulable(created.id(),
        ExecutionResult.structured(tree, "unschedulable: sh-1 (runtime_missing)"), T0.plusSeconds(1));

    assertThat(marked.applied()).isTrue();
    Execution found = stored(created);
    assertThat(found.status()).isEqualTo(ExecutionStatus.UNSCHEDULABLE);
    assertThat(found.endedAt()).contains(T0.plusSeconds(1));
    ExecutionResult result = found.result().orElseThrow();
    assertThat(result.message()).isEqualTo("unschedulable: sh-1 (runtime_missing)");
    Map<String, Object> kept = result.structured().orElseThrow();
    assertThat(kept).containsEntry("action", "demo.hello").containsEntry("outcome", "unschedulable")
        .containsEntry("selected", null);
    assertThat(kept.get("workers")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .singleElement().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("name", "sh-1").containsEntry("eligible", false)
        .containsEntry("rejections", List.of(rejection));
    assertThat(store.waiting()).isEmpty();
  }

  @Test
  public void mark_unschedulable_is_refused_for_a_placed_execution() {
    Worker w = worker("w-1", 1);
    Execution placed = assigned(store.create(request(), T0), w);

    Transition marked = store.markUnschedulable(placed.id(), ExecutionResult.message("no"), T0.plusSeconds(2));

    assertThat(marked).isInstanceOf(Transition.Refused.class);
    assertThat(stored(placed).status()).isEqualTo(ExecutionStatus.SCHEDULED);
    assertThat(running(w)).isEqualTo(1);
  }

  @Test
  public void cancel_ends_a_waiting_execution() {
    Execution created = store.create(request(), T0);

    assertThat(store.requestCancel(created.id(), "changed my mind", T0.plusSeconds(1)).applied()).isTrue();

    assertThat(stored(created).status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(stored(created).result().orElseThrow().message()).isEqualTo("changed my mind");
    assertThat(store.waiting()).isEmpty();
  }

  @Test
  public void a_cancel_request_ends_a_waiting_or_scheduled_execution_at_once_and_frees_the_slot() {
    Worker w = worker("w-1", 1);
    Execution waiting = store.create(request(), T0);
    Execution placed = assigned(store.create(request(), T0), w);

    Transition ofWaiting = store.requestCancel(waiting.id(), "stop", T0.plusSeconds(2));
    Transition ofPlaced = store.requestCancel(placed.id(), "stop", T0.plusSeconds(2));

    assertThat(ofWaiting.applied()).isTrue();
    assertThat(ofPlaced.applied()).isTrue();
    assertThat(stored(waiting).status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(stored(placed).status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(ofPlaced.execution()).isEqualTo(stored(placed));
    assertThat(running(w)).isZero();
    assertThat(store.waiting()).isEmpty();
    // the worker that receives the dispatch afterwards does not start it
    assertThat(store.startDispatched(placed.id(), placed.attempt(), placed.worker().orElseThrow(), T0.plusSeconds(3)).orElseThrow().applied())
        .isFalse();
    assertThat(stored(placed).status()).isEqualTo(ExecutionStatus.CANCELLED);
  }

  @Test
  public void a_cancel_request_of_a_running_execution_is_kept_for_its_worker_which_records_it_cancelled() {
    Worker w = worker("w-1", 1);
    Execution placed = assigned(store.create(request(), T0), w);
    Execution started = store.startDispatched(placed.id(), placed.attempt(), placed.worker().orElseThrow(), T0.plusSeconds(1)).orElseThrow()
        .execution();

    Transition requested = store.requestCancel(placed.id(), "stop", T0.plusSeconds(2));

    assertThat(requested.applied()).isTrue();
    assertThat(stored(placed)).isEqualTo(requested.execution());
    assertThat(stored(placed).status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(stored(placed).cancelRequestedAt()).contains(T0.plusSeconds(2));
    assertThat(running(w)).isEqualTo(1);
    assertThat(store.heldBy(w.id())).singleElement().satisfies(e -> assertThat(e.cancelPending()).isTrue());
    assertThat(store.requestCancel(placed.id(), "again", T0.plusSeconds(3)).applied()).isFalse();

    // the worker's copy predates the request; its cancelled outcome is still recorded
    Transition ended = store.finish(started, ExecutionStatus.CANCELLED, ExecutionResult.message("tree ended"),
        T0.plusSeconds(4));
    assertThat(ended.applied()).isTrue();
    assertThat(stored(placed).status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(stored(placed).attempts()).singleElement().satisfies(a -> {
      assertThat(a.outcome()).contains(AttemptOutcome.CANCELLED);
      assertThat(a.endedAt()).contains(T0.plusSeconds(4));
    });
    assertThat(running(w)).isZero();
  }

  @Test
  public void recovery_decided_before_a_cancel_request_does_not_requeue_over_it() {
    Worker w = worker("w-1", 1);
    Execution placed = assigned(store.create(request(), T0), w);
    store.start(placed.id(), placed.attempt(), placed.worker().orElseThrow(), T0.plusSeconds(1));
    store.requestCancel(placed.id(), "stop", T0.plusSeconds(2));

    Transition recovered = store.recover(placed.id(), placed.attempt(), true, "worker lost", T0.plusSeconds(3));

    assertThat(recovered.applied()).isTrue();
    assertThat(stored(placed).status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(store.waiting()).isEmpty();
    assertThat(running(w)).isZero();
  }

  @Test
  public void a_cancel_request_of_an_ended_execution_changes_nothing() {
    Worker w = worker("w-1", 1);
    Execution placed = assigned(store.create(request(), T0), w);
    store.start(placed.id(), placed.attempt(), placed.worker().orElseThrow(), T0.plusSeconds(1));
    store.finish(placed.id(), placed.attempt(), ExecutionStatus.SUCCEEDED, ExecutionResult.message("ok"),
        T0.plusSeconds(1));
    Execution before = stored(placed);

    assertThat(store.requestCancel(placed.id(), "too late", T0.plusSeconds(2)).applied()).isFalse();
    assertThat(stored(placed)).isEqualTo(before);
  }

  @Test
  public void attempts_are_kept_with_their_worker_times_and_outcome() {
    Worker first = worker("w-1", 1);
    Worker second = worker("w-2", 1);
    Execution placed = assigned(store.create(request(), T0), first);
    store.startDispatched(placed.id(), 1, first.id(), T0.plusSeconds(2));
    store.recover(placed.id(), 1, true, "worker lost", T0.plusSeconds(3));
    Assignment again = store.assign(placed.id(), second.id(), T0.plusSeconds(4));
    assertThat(again).isInstanceOf(Assignment.Assigned.class);
    store.start(placed.id(), 2, second.id(), T0.plusSeconds(5));
    store.finish(placed.id(), 2, ExecutionStatus.FAILED, ExecutionResult.message("exit status 3"),
        T0.plusSeconds(6));

    assertThat(stored(placed).attempts()).containsExactly(
        new Attempt(1, first.id(), T0.plusSeconds(1), Optional.of(T0.plusSeconds(2)), Optional.of(T0.plusSeconds(3)),
            Optional.of(AttemptOutcome.REQUEUED), "worker lost"),
        new Attempt(2, second.id(), T0.plusSeconds(4), Optional.of(T0.plusSeconds(5)),
            Optional.of(T0.plusSeconds(6)), Optional.of(AttemptOutcome.FAILED), "exit status 3"));
  }

  @Test
  public void list_gives_the_newest_first_filtered_by_status_and_action_up_to_the_limit() {
    Worker w = worker("w-1", 5);
    Execution oldest = store.create(request(), T0);
    Execution other = store.create(new ExecutionRequest(ActionRequirements.of("demo.other", RuntimeName.SHELL),
        Map.of()), T0.plusSeconds(1));
    Execution placed = assigned(store.create(request(), T0.plusSeconds(2)), w);
    Execution newest = store.create(request(), T0.plusSeconds(3));

    assertThat(store.list(ExecutionQuery.newest(10))).extracting(Execution::id)
        .containsExactly(newest.id(), placed.id(), other.id(), oldest.id());
    assertThat(store.list(ExecutionQuery.newest(2))).extracting(Execution::id)
        .containsExactly(newest.id(), placed.id());
    assertThat(store.list(new ExecutionQuery(Optional.of(ExecutionStatus.REQUESTED), Optional.empty(), 10)))
        .extracting(Execution::id).containsExactly(newest.id(), other.id(), oldest.id());
    assertThat(store.list(new ExecutionQuery(Optional.of(ExecutionStatus.REQUESTED),
        Optional.of(ActionRef.parse("demo.hello")), 10))).extracting(Execution::id)
        .containsExactly(newest.id(), oldest.id());
    assertThat(store.list(new ExecutionQuery(Optional.of(ExecutionStatus.SUCCEEDED), Optional.empty(), 10)))
        .isEmpty();
    assertThat(store.list(ExecutionQuery.newest(10)).get(1)).isEqualTo(stored(placed));
  }

  @Test
  public void held_by_lists_the_scheduled_and_running_executions_of_one_worker() {
    Worker w = worker("w-1", 5);
    Worker other = worker("w-2", 5);
    Execution scheduled = assigned(store.create(request(), T0), w);
    Execution runningOne = assigned(store.create(request(), T0), w);
    store.start(runningOne.id(), runningOne.attempt(), runningOne.worker().orElseThrow(), T0.plusSeconds(1));
    Execution ended = assigned(store.create(request(), T0), w);
    store.start(ended.id(), ended.attempt(), ended.worker().orElseThrow(), T0.plusSeconds(1));
    store.finish(ended.id(), ended.attempt(), ExecutionStatus.SUCCEEDED, ExecutionResult.message("ok"),
        T0.plusSeconds(2));
    Execution elsewhere = assigned(store.create(request(), T0), other);
    store.create(request(), T0);

    assertThat(store.heldBy(w.id())).extracting(Execution::id)
        .containsExactlyInAnyOrder(scheduled.id(), runningOne.id());
    assertThat(store.heldBy(other.id())).extracting(Execution::id).containsExactly(elsewhere.id());
  }

  @Test
  public void held_by_lost_workers_lists_what_stale_or_inactive_workers_hold() {
    Worker fresh = worker("fresh", 5);
    Worker stale = worker("stale", 5);
    Worker inactive = worker("inactive", 5);
    Execution onFresh = assigned(store.create(request(), T0), fresh);
    Execution onStale = assigned(store.create(request(), T0), stale);
    Execution onStaleEnded = assigned(store.create(request(), T0), stale);
    store.start(onStaleEnded.id(), onStaleEnded.attempt(), onStaleEnded.worker().orElseThrow(), T0.plusSeconds(1));
    store.finish(onStaleEnded.id(), onStaleEnded.attempt(), ExecutionStatus.SUCCEEDED,
        ExecutionResult.message("ok"), T0.plusSeconds(1));
    Execution onInactive = assigned(store.create(request(), T0), inactive);
    store.start(onInactive.id(), onInactive.attempt(), onInactive.worker().orElseThrow(), T0.plusSeconds(1));
    registry.heartbeat(fresh.id(), T0.plusSeconds(60));
    registry.heartbeat(inactive.id(), T0.plusSeconds(60));
    registry.markInactive(inactive.id());
    Instant now = T0.plus(INTERVAL.multipliedBy(3));

    assertThat(store.heldByLostWorkers(now)).extracting(Execution::id)
        .containsExactlyInAnyOrder(onStale.id(), onInactive.id());
    assertThat(store.heldByLostWorkers(now.minusMillis(1))).extracting(Execution::id)
        .containsExactly(onInactive.id());
    assertThat(store.heldBy(fresh.id())).extracting(Execution::id).containsExactly(onFresh.id());
  }

  @Test
  public void recovering_from_a_lost_worker_is_refused_once_the_worker_came_back() {
    // issue 10, scenario 7: the worker's heartbeat returned and it started the execution before the recovery ran
    Worker w = worker("w-1", 5);
    Execution held = assigned(store.create(request(), T0), w);
    Instant staleAt = T0.plus(INTERVAL.multipliedBy(3));
    assertThat(store.heldByLostWorkers(staleAt)).extracting(Execution::id).containsExactly(held.id());
    registry.heartbeat(w.id(), staleAt.minusSeconds(1));
    store.start(held.id(), held.attempt(), held.worker().orElseThrow(), staleAt.minusSeconds(1));

    Transition refused = store.recoverFromLostWorker(held.id(), held.attempt(), true, "lost", staleAt);

    assertThat(refused.applied()).isFalse();
    assertThat(store.find(held.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(directory.byId(w.id()).orElseThrow().running()).isEqualTo(1);

    Instant muchLater = staleAt.plus(INTERVAL.multipliedBy(10));
    Transition recovered = store.recoverFromLostWorker(held.id(), held.attempt(), true, "lost", muchLater);
    assertThat(recovered.applied()).isTrue();
    assertThat(recovered.execution().status()).isEqualTo(ExecutionStatus.REQUESTED);
    assertThat(directory.byId(w.id()).orElseThrow().running()).isZero();
  }

  @Test
  public void prune_keeps_a_lost_worker_that_still_holds_an_execution_and_unlinks_past_ones() {
    Worker holding = worker("w-holding", 5);
    Worker done = worker("w-done", 5);
    Execution held = assigned(store.create(request(), T0), holding);
    Execution ended = assigned(store.create(request(), T0), done);
    store.start(ended.id(), ended.attempt(), ended.worker().orElseThrow(), T0.plusSeconds(2));
    store.finish(ended.id(), ended.attempt(), ExecutionStatus.SUCCEEDED, ExecutionResult.message("ok"),
        T0.plusSeconds(3));
    Instant muchLater = T0.plus(Duration.ofDays(30));

    assertThat(registry.prune(muchLater, Duration.ofDays(7))).containsExactly("w-done");

    assertThat(store.find(held.id()).orElseThrow().worker()).contains(holding.id());
    Execution past = store.find(ended.id()).orElseThrow();
    assertThat(past.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(past.result().orElseThrow().message()).isEqualTo("ok");
  }

  @Test
  public void what_a_draining_worker_holds_is_lost_only_once_its_heartbeat_is_stale() {
    Worker draining = worker("draining", 5);
    Execution running = assigned(store.create(request(), T0), draining);
    store.start(running.id(), running.attempt(), running.worker().orElseThrow(), T0.plusSeconds(1));
    registry.markDraining(draining.id());
    registry.heartbeat(draining.id(), T0.plusSeconds(60));

    assertThat(store.heldByLostWorkers(T0.plusSeconds(61))).isEmpty();
    assertThat(store.heldByLostWorkers(T0.plusSeconds(60).plus(INTERVAL.multipliedBy(3))))
        .extracting(Execution::id).containsExactly(running.id());
  }

  @Test
  public void waiting_lists_requested_executions_oldest_first() {
    Worker w = worker("w-1", 5);
    Execution second = store.create(request(), T0.plusSeconds(2));
    Execution first = store.create(request(), T0.plusSeconds(1));
    Execution placed = store.create(request(), T0);
    assigned(placed, w);
    Execution third = store.create(request(), T0.plusSeconds(3));

    assertThat(store.waiting()).extracting(Execution::id).containsExactly(first.id(), second.id(), third.id());
    assertThat(store.waiting(2)).extracting(Execution::id).containsExactly(first.id(), second.id());
  }

  @Test
  public void waiting_for_lists_only_requested_executions_of_the_given_runtimes_oldest_first() {
    Worker w = worker("w-1", 5);
    Execution python = store.create(of("demo.py", RuntimeName.PYTHON), T0.plusSeconds(3));
    Execution shellLater = store.create(request(), T0.plusSeconds(2));
    Execution node = store.create(of("demo.js", RuntimeName.NODE), T0);
    Execution shellFirst = store.create(request(), T0.plusSeconds(1));
    assigned(store.create(request(), T0.minusSeconds(1)), w);

    assertThat(store.waitingFor(Set.of(RuntimeName.SHELL), 10)).extracting(Execution::id)
        .containsExactly(shellFirst.id(), shellLater.id());
    assertThat(store.waitingFor(Set.of(RuntimeName.SHELL, RuntimeName.PYTHON), 10)).extracting(Execution::id)
        .containsExactly(shellFirst.id(), shellLater.id(), python.id());
    assertThat(store.waitingFor(Set.of(RuntimeName.NODE, RuntimeName.SHELL), 2)).extracting(Execution::id)
        .containsExactly(node.id(), shellFirst.id());
    assertThat(store.waitingFor(Set.of(RuntimeName.of("ml")), 10)).isEmpty();
  }

  private static ExecutionRequest of(String ref, RuntimeName runtime) {
    return new ExecutionRequest(ActionRequirements.of(ref, runtime), Map.of());
  }

  @Test
  public void since_is_kept_for_every_status_and_a_requeue_starts_it_again() {
    Worker w = worker("w-1", 1);
    Execution created = store.create(request(), T0);
    Execution placed = assigned(created, w);
    assertThat(created.since()).isEqualTo(T0);
    assertThat(placed.since()).isEqualTo(T0.plusSeconds(1));

    store.start(placed.id(), placed.attempt(), placed.worker().orElseThrow(), T0.plusSeconds(2));
    Execution requeued = store.recover(placed.id(), placed.attempt(), true, "lost", T0.plusSeconds(60)).execution();

    assertThat(requeued.since()).isEqualTo(T0.plusSeconds(60));
    assertThat(requeued.requestedAt()).isEqualTo(T0);
    assertThat(store.find(placed.id()).orElseThrow()).isEqualTo(requeued);
  }

  @Test
  public void scheduled_before_lists_executions_scheduled_since_the_cutoff_that_have_not_started() {
    Worker w = worker("w-1", 5);
    Execution older = assigned(store.create(request(), T0), w);
    Execution started = assigned(store.create(request(), T0), w);
    store.start(started.id(), started.attempt(), started.worker().orElseThrow(), T0.plusSeconds(5));
    Assignment later = store.assign(store.create(request(), T0).id(), w.id(), T0.plusSeconds(30));
    Execution newer = ((Assignment.Assigned) later).execution();

    assertThat(store.scheduledBefore(T0.plusSeconds(1), 10)).extracting(Execution::id).containsExactly(older.id());
    assertThat(store.scheduledBefore(T0.plusSeconds(30), 10)).extracting(Execution::id)
        .containsExactly(older.id(), newer.id());
    assertThat(store.scheduledBefore(T0.plusSeconds(30), 1)).extracting(Execution::id).containsExactly(older.id());
  }

  /** Runs an execution of {@code ref} on the worker to the given end at {@code endedAt}. */
  private Execution ranTo(String ref, Worker worker, ExecutionStatus outcome, Instant endedAt) {
    Execution placed = assigned(store.create(of(ref, RuntimeName.SHELL), T0), worker);
    store.start(placed.id(), placed.attempt(), placed.worker().orElseThrow(), T0.plusSeconds(2));
    Transition finished = store.finish(placed.id(), placed.attempt(), outcome, ExecutionResult.message("done"),
        endedAt);
    assertThat(finished.applied()).isTrue();
    return finished.execution();
  }

  @Test
  public void last_succeeded_on_is_empty_until_an_execution_of_the_action_succeeded() {
    Worker w = worker("w-1", 5);
    assigned(store.create(of("demo.warm", RuntimeName.SHELL), T0), w);
    ranTo("demo.warm", w, ExecutionStatus.FAILED, T0.plusSeconds(3));
    ranTo("demo.other", w, ExecutionStatus.SUCCEEDED, T0.plusSeconds(3));

    assertThat(store.lastSucceededOn(ActionRef.parse("demo.warm"))).isEmpty();
    assertThat(store.lastSucceededOn(ActionRef.parse("demo.other"))).contains(w.id());
  }

  @Test
  public void last_succeeded_on_names_the_worker_of_the_most_recent_success_not_of_a_later_failure() {
    Worker first = worker("w-1", 5);
    Worker second = worker("w-2", 5);
    Worker third = worker("w-3", 5);
    ranTo("demo.warm", first, ExecutionStatus.SUCCEEDED, T0.plusSeconds(10));
    ranTo("demo.warm", second, ExecutionStatus.SUCCEEDED, T0.plusSeconds(20));
    ranTo("demo.warm", first, ExecutionStatus.SUCCEEDED, T0.plusSeconds(15));
    ranTo("demo.warm", third, ExecutionStatus.FAILED, T0.plusSeconds(30));
    ranTo("demo.warm", third, ExecutionStatus.TIMED_OUT, T0.plusSeconds(31));

    assertThat(store.lastSucceededOn(ActionRef.parse("demo.warm"))).contains(second.id());
  }

  @Test
  public void requirements_with_the_previous_worker_preference_survive_a_round_trip() {
    ActionRequirements sticky = richRequirements().withPreferPreviousWorker(35);

    Execution created = store.create(new ExecutionRequest(sticky, Map.of()), T0);

    assertThat(stored(created).requirements()).isEqualTo(sticky);
    assertThat(stored(created).requirements().preferPreviousWorker()).isEqualTo(35);
  }

  @Test
  public void concurrent_assignment_never_exceeds_capacity_and_never_places_an_execution_twice() throws Exception {
    int threads = 8;
    int capacity = 4;
    List<Worker> workers = List.of(worker("w-a", capacity), worker("w-b", capacity), worker("w-c", capacity));
    List<Execution> executions = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      executions.add(store.create(request(), T0));
    }
    Map<ExecutionId, List<WorkerId>> placements = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        tasks.add(() -> {
          go.await();
          // every thread tries every execution, each on a worker that depends on the thread, so that every
          // execution is fought over and every worker is asked far more often than it has slots
          for (int k = 0; k < executions.size(); k++) {
            int i = (k + thread * 5) % executions.size();
            Worker target = workers.get((i + thread) % workers.size());
            try {
              Assignment a = store.assign(executions.get(i).id(), target.id(), T0.plusSeconds(1));
              if (a instanceof Assignment.Assigned assigned) {
                placements.computeIfAbsent(assigned.execution().id(), id -> new java.util.concurrent
                    .CopyOnWriteArrayList<>()).add(target.id());
              }
            } catch (RuntimeException e) {
              failures.add(e);
            }
          }
          return null;
        });
      }
      List<Future<Void>> futures = new ArrayList<>();
      for (Callable<Void> task : tasks) {
        futures.add(pool.submit(task));
      }
      go.countDown();
      for (Future<Void> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(failures).isEmpty();
    assertThat(placements.values()).allSatisfy(onto -> assertThat(onto).hasSize(1));
    assertThat(placements).hasSize(workers.size() * capacity);
    for (Worker w : workers) {
      List<Execution> held = store.heldBy(w.id());
      assertThat(held).hasSize(capacity);
      assertThat(running(w)).isEqualTo(capacity);
      for (Execution e : held) {
        assertThat(placements.get(e.id())).containsExactly(w.id());
        assertThat(e.attempt()).isEqualTo(1);
      }
    }
    assertThat(store.waiting()).hasSize(executions.size() - workers.size() * capacity);
  }
}
