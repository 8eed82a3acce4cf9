package io.attune.worker.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.adapter.out.memory.InProcessDispatcher;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.Fleet;
import io.attune.worker.core.model.placement.PlacementOutcome;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.retry.Backoff;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.port.out.WorkerDirectory;
import io.attune.worker.core.testkit.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ScheduleExecutionServiceTest {

  private final MutableClock clock = MutableClock.atDefault();
  private final InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore(registry);
  private final InProcessDispatcher dispatcher = new InProcessDispatcher();
  private final Map<String, List<Execution>> delivered = new ConcurrentHashMap<>();

  private ScheduleExecutionService scheduler(ExecutionStore executions) {
    return new ScheduleExecutionService(registry, executions, dispatcher, PlacementPolicy.standard(), clock,
        ExecutionObserver.NONE, AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE);
  }

  private Worker worker(String name, int max, String... runtimes) {
    Capabilities.Builder caps = Capabilities.builder().maxConcurrentExecutions(max);
    for (String runtime : runtimes) {
      caps.runtime(RuntimeName.of(runtime));
    }
    Worker worker = registry.register(new WorkerRegistration(name, WorkerType.LOCAL, "h", caps.build(),
        WorkerRegistration.DEFAULT_HEARTBEAT_INTERVAL), clock.instant());
    List<Execution> inbox = new ArrayList<>();
    delivered.put(name, inbox);
    dispatcher.subscribe(worker.id(), inbox::add);
    return worker;
  }

  private Execution requested(String runtime) {
    return store.create(new ExecutionRequest(ActionRequirements.of("demo.run", RuntimeName.of(runtime)), Map.of()),
        clock.instant());
  }

  private int running(Worker worker) {
    return registry.byId(worker.id()).orElseThrow().running();
  }

  @Test
  void an_execution_is_placed_on_a_worker_that_can_run_it_and_dispatched_to_it() {
    Worker py = worker("py", 10, "shell", "python");
    worker("sh", 10, "shell");
    Execution execution = requested("python");

    Scheduling result = scheduler(store).schedule(execution.id());

    assertThat(result).isInstanceOfSatisfying(Scheduling.Dispatched.class, dispatched -> {
      assertThat(dispatched.worker().id()).isEqualTo(py.id());
      assertThat(dispatched.execution().status()).isEqualTo(ExecutionStatus.SCHEDULED);
      assertThat(dispatched.execution().attempt()).isEqualTo(1);
      assertThat(dispatched.decision().outcome()).isEqualTo(PlacementOutcome.SELECTED);
    });
    assertThat(delivered.get("py")).extracting(Execution::id).containsExactly(execution.id());
    assertThat(delivered.get("sh")).isEmpty();
    assertThat(store.find(execution.id()).orElseThrow().worker()).contains(py.id());
    assertThat(running(py)).isEqualTo(1);
  }

  @Test
  void an_execution_whose_workers_are_all_busy_keeps_waiting() {
    Worker py = worker("py", 1, "python");
    scheduler(store).schedule(requested("python").id());
    Execution second = requested("python");

    Scheduling result = scheduler(store).schedule(second.id());

    assertThat(result).isInstanceOfSatisfying(Scheduling.Waiting.class, waiting -> {
      assertThat(waiting.decision().outcome()).isEqualTo(PlacementOutcome.WAIT);
      assertThat(waiting.decision().explain().assessmentOf("py").orElseThrow().rejections())
          .extracting(r -> r.code().wireName()).containsExactly("at_capacity");
    });
    assertThat(store.find(second.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.REQUESTED);
    assertThat(store.waiting()).extracting(Execution::id).containsExactly(second.id());
    assertThat(delivered.get("py")).hasSize(1);
    assertThat(running(py)).isEqualTo(1);
  }

  @Test
  void an_execution_no_worker_could_ever_run_is_unschedulable_with_the_explanation_as_its_result() {
    worker("sh", 10, "shell");
    worker("node", 10, "shell", "node");
    Execution execution = requested("python");

    Scheduling result = scheduler(store).schedule(execution.id());

    assertThat(result).isInstanceOfSatisfying(Scheduling.Unschedulable.class, unschedulable -> {
      assertThat(unschedulable.explanation().outcome()).isEqualTo(PlacementOutcome.UNSCHEDULABLE);
      assertThat(unschedulable.execution().status()).isEqualTo(ExecutionStatus.UNSCHEDULABLE);
    });
    Execution stored = store.find(execution.id()).orElseThrow();
    assertThat(stored.status()).isEqualTo(ExecutionStatus.UNSCHEDULABLE);
    ExecutionResult explanation = stored.result().orElseThrow();
    assertThat(explanation.message()).isEqualTo("unschedulable: node (runtime_missing); sh (runtime_missing)");
    Map<String, Object> tree = explanation.structured().orElseThrow();
    assertThat(tree).containsEntry("action", "demo.run").containsEntry("outcome", "unschedulable")
        .containsEntry("selected", null);
    assertThat(tree.get("workers")).isEqualTo(List.of(
        Map.of("name", "node", "eligible", false, "score", 0, "rejections", List.of(Map.of(
            "code", "runtime_missing", "detail", "does not offer runtime python (offers node, shell)"))),
        Map.of("name", "sh", "eligible", false, "score", 0, "rejections", List.of(Map.of(
            "code", "runtime_missing", "detail", "does not offer runtime python (offers shell)")))));
    assertThat(delivered.values()).allSatisfy(inbox -> assertThat(inbox).isEmpty());
  }

  @Test
  void the_stored_explanation_names_every_worker_even_when_the_directory_narrows_candidates_to_the_runtime() {
    worker("sh", 10, "shell");
    worker("node", 10, "shell", "node");
    Execution execution = requested("python");
    // like the PostgreSQL directory: candidates are only the workers that offer the action's runtime
    WorkerDirectory narrowing = new WorkerDirectory() {
      public Optional<Worker> byId(WorkerId id) {
        return registry.byId(id);
      }

      public Optional<Worker> byName(String name) {
        return registry.byName(name);
      }

      public List<Worker> all() {
        return registry.all();
      }

      public Fleet candidatesFor(ActionRequirements action) {
        return Fleet.of(registry.all().stream().filter(w -> w.capabilities().offers(action.runtime())).toList());
      }

      public List<Worker> staleActive(Instant now) {
        return registry.staleActive(now);
      }
    };

    Scheduling result = new ScheduleExecutionService(narrowing, store, dispatcher, PlacementPolicy.standard(), clock,
        ExecutionObserver.NONE, AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE)
        .schedule(execution.id());

    assertThat(result).isInstanceOfSatisfying(Scheduling.Unschedulable.class, unschedulable ->
        assertThat(unschedulable.explanation().workers()).extracting(a -> a.worker().name())
            .containsExactly("node", "sh"));
    assertThat(store.find(execution.id()).orElseThrow().result().orElseThrow().message())
        .isEqualTo("unschedulable: node (runtime_missing); sh (runtime_missing)");
  }

  @Test
  void without_any_worker_an_execution_is_unschedulable() {
    Execution execution = requested("shell");

    Scheduling result = scheduler(store).schedule(execution.id());

    assertThat(result).isInstanceOf(Scheduling.Unschedulable.class);
    assertThat(store.find(execution.id()).orElseThrow().result().orElseThrow().message())
        .isEqualTo("unschedulable: no worker is registered");
  }

  @Test
  void an_unknown_execution_is_skipped() {
    Scheduling result = scheduler(store).schedule(new ExecutionId(4242));

    assertThat(result).isInstanceOfSatisfying(Scheduling.Skipped.class,
        skipped -> assertThat(skipped.reason()).isEqualTo("no execution 4242"));
  }

  @Test
  void an_execution_that_is_no_longer_waiting_is_skipped_and_not_dispatched_again() {
    worker("sh", 10, "shell");
    Execution execution = requested("shell");
    scheduler(store).schedule(execution.id());

    Scheduling again = scheduler(store).schedule(execution.id());

    assertThat(again).isInstanceOfSatisfying(Scheduling.Skipped.class,
        skipped -> assertThat(skipped.reason()).contains("is scheduled"));
    assertThat(delivered.get("sh")).hasSize(1);
    assertThat(store.find(execution.id()).orElseThrow().attempt()).isEqualTo(1);
  }

  @Test
  void losing_the_race_for_a_worker_s_last_slot_decides_again_on_fresh_data() {
    Worker a = worker("a", 1, "shell");
    Worker b = worker("b", 1, "shell");
    Execution ours = requested("shell");
    Execution theirs = requested("shell");
    RacingStore racing = new RacingStore(store, theirs.id());

    Scheduling result = scheduler(racing).schedule(ours.id());

    // another scheduler filled the worker chosen first; ours went to the other one
    Execution filler = store.find(theirs.id()).orElseThrow();
    assertThat(result).isInstanceOfSatisfying(Scheduling.Dispatched.class,
        dispatched -> assertThat(dispatched.worker().id()).isNotEqualTo(filler.worker().orElseThrow()));
    assertThat(racing.assignCalls).isEqualTo(2);
    assertThat(List.of(running(a), running(b))).containsExactly(1, 1);
    assertThat(store.find(ours.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.SCHEDULED);
  }

  @Test
  void a_scheduler_that_loses_every_race_leaves_the_execution_waiting() {
    worker("a", 1, "shell");
    Execution ours = requested("shell");
    AlwaysFullStore alwaysFull = new AlwaysFullStore(store);

    Scheduling result = scheduler(alwaysFull).schedule(ours.id());

    assertThat(result).isInstanceOf(Scheduling.Waiting.class);
    assertThat(alwaysFull.assignCalls).isEqualTo(ScheduleExecutionService.MAX_RACES + 1);
    assertThat(store.find(ours.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.REQUESTED);
  }

  @Test
  void a_failed_dispatch_gives_the_slot_back_and_requeues_the_execution() {
    Worker w = worker("w", 1, "shell");
    dispatcher.unsubscribe(w.id());
    Execution execution = requested("shell");

    assertThatThrownBy(() -> scheduler(store).schedule(execution.id()))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("no subscribed consumer");

    Execution stored = store.find(execution.id()).orElseThrow();
    assertThat(stored.status()).isEqualTo(ExecutionStatus.REQUESTED);
    assertThat(stored.worker()).isEmpty();
    assertThat(stored.result().orElseThrow().message()).startsWith("dispatch to w failed");
    assertThat(running(w)).isZero();
  }

  @Test
  void an_execution_whose_dispatch_failed_is_placed_again_only_once_its_redelivery_pace_passed() {
    // the broker restarted: the worker's queue is missing until the worker reconnects, and each dispatch comes back
    Worker w = worker("w", 1, "shell");
    dispatcher.unsubscribe(w.id());
    Execution execution = requested("shell");
    assertThatThrownBy(() -> scheduler(store).schedule(execution.id())).isInstanceOf(InfrastructureException.class);

    Scheduling atOnce = scheduler(store).schedule(execution.id());

    assertThat(atOnce).isInstanceOf(Scheduling.Skipped.class);
    assertThat(((Scheduling.Skipped) atOnce).reason()).contains("redelivered 1 time(s) without a run");
    assertThat(store.find(execution.id()).orElseThrow().redeliveries()).as("no redelivery spent on the gap")
        .isEqualTo(1);
    List<Execution> inbox = new ArrayList<>();
    dispatcher.subscribe(w.id(), inbox::add);
    clock.advance(Backoff.REDELIVERIES.first());

    assertThat(scheduler(store).schedule(execution.id())).isInstanceOf(Scheduling.Dispatched.class);
    assertThat(inbox).extracting(Execution::attempt).containsExactly(2);
  }

  @Test
  void a_stale_worker_is_not_chosen_until_it_heartbeats_again() {
    Worker w = worker("w", 1, "shell");
    Execution execution = requested("shell");
    clock.advance(java.time.Duration.ofSeconds(90));

    assertThat(scheduler(store).schedule(execution.id())).isInstanceOf(Scheduling.Waiting.class);

    registry.heartbeat(w.id(), clock.instant());
    assertThat(scheduler(store).schedule(execution.id())).isInstanceOf(Scheduling.Dispatched.class);
  }

  @Test
  void an_execution_handed_over_as_read_is_placed_without_reading_its_row_again() {
    Worker w = worker("w", 1, "shell");
    Execution execution = requested("shell");
    CountingFinds counting = new CountingFinds(store);

    Scheduling result = scheduler(counting).schedule(execution);

    assertThat(result).isInstanceOfSatisfying(Scheduling.Dispatched.class,
        d -> assertThat(d.worker().id()).isEqualTo(w.id()));
    assertThat(counting.finds).isZero();
    assertThat(delivered.get("w")).extracting(Execution::id).containsExactly(execution.id());
  }

  @Test
  void an_execution_handed_over_as_read_but_placed_since_is_skipped_not_placed_twice() {
    Worker w = worker("w", 5, "shell");
    Execution asRead = requested("shell");
    assertThat(scheduler(store).schedule(asRead.id())).isInstanceOf(Scheduling.Dispatched.class);

    Scheduling again = scheduler(store).schedule(asRead);

    assertThat(again).isInstanceOf(Scheduling.Skipped.class);
    assertThat(running(w)).isEqualTo(1);
    assertThat(delivered.get("w")).hasSize(1);
  }

  /** Counts the reads of execution rows. */
  @Test
  void an_execution_this_scheduler_is_placing_is_left_to_that_placement_when_it_arrives_again()
      throws Exception {
    Worker py = registry.register(new WorkerRegistration("py", WorkerType.LOCAL, "h",
        Capabilities.builder().runtime(RuntimeName.PYTHON).maxConcurrentExecutions(4).build(),
        WorkerRegistration.DEFAULT_HEARTBEAT_INTERVAL), clock.instant());
    CountDownLatch dispatching = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    InProcessDispatcher held = new InProcessDispatcher();
    held.subscribe(py.id(), execution -> {
      dispatching.countDown();
      try {
        release.await();
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    });
    ScheduleExecutionService scheduler = new ScheduleExecutionService(registry, store, held,
        PlacementPolicy.standard(), clock, ExecutionObserver.NONE,
            AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE);
    Execution execution = requested("python");
    ExecutorService first = Executors.newSingleThreadExecutor();
    try {
      Future<Scheduling> byRequest = first.submit(() -> scheduler.schedule(execution.id()));
      assertThat(dispatching.await(10, TimeUnit.SECONDS)).isTrue();

      // the sweep hands over the same execution, as it read it, while the request's placement is dispatching
      Scheduling bySweep = scheduler.schedule(execution);
      Scheduling byRedelivery = scheduler.schedule(execution.id());
      release.countDown();

      assertThat(bySweep).isInstanceOf(Scheduling.Skipped.class);
      assertThat(((Scheduling.Skipped) bySweep).reason()).contains("being placed by this scheduler");
      assertThat(byRedelivery).isInstanceOf(Scheduling.Skipped.class);
      assertThat(byRequest.get(10, TimeUnit.SECONDS)).isInstanceOf(Scheduling.Dispatched.class);
      assertThat(running(py)).isOne();
      // once that placement is over, the execution is no longer held: a later try reads where it is
      assertThat(scheduler.schedule(execution.id())).isInstanceOfSatisfying(Scheduling.Skipped.class,
          skipped -> assertThat(skipped.reason()).contains("is scheduled"));
    } finally {
      release.countDown();
      first.shutdownNow();
    }
  }

  @Test
  void the_previous_worker_is_read_only_for_an_action_that_asks_and_only_once_a_worker_would_be_selected() {
    Worker w = worker("w", 1, "shell");
    ActionRequirements sticky = ActionRequirements.of("demo.warm", RuntimeName.SHELL).withPreferPreviousWorker(100);
    List<String> reads = new ArrayList<>();
    DelegatingStore counting = new DelegatingStore(store) {
      @Override
      public Optional<WorkerId> lastSucceededOn(ActionRef action) {
        reads.add(action.toString());
        return super.lastSucceededOn(action);
      }
    };
    ScheduleExecutionService scheduler = scheduler(counting);

    scheduler.schedule(requested("shell").id());
    assertThat(reads).as("an action without the preference").isEmpty();
    assertThat(running(w)).isEqualTo(1);
    Scheduling waits = scheduler.schedule(store.create(new ExecutionRequest(sticky, Map.of()), clock.instant()).id());
    assertThat(waits).isInstanceOf(Scheduling.Waiting.class);
    assertThat(reads).as("the only worker is full: nothing to rank").isEmpty();

    worker("v", 1, "shell");
    Scheduling placed = scheduler.schedule(store.create(new ExecutionRequest(sticky, Map.of()), clock.instant()).id());
    assertThat(placed).isInstanceOf(Scheduling.Dispatched.class);
    assertThat(reads).containsExactly("demo.warm");
  }

  private static final class CountingFinds extends DelegatingStore {
    int finds;

    CountingFinds(ExecutionStore delegate) {
      super(delegate);
    }

    @Override
    public Optional<Execution> find(ExecutionId id) {
      finds++;
      return super.find(id);
    }
  }

  /** Lets another scheduler fill the chosen worker just before this one's first assignment. */
  private static final class RacingStore extends DelegatingStore {
    private final ExecutionId filler;
    int assignCalls;

    RacingStore(ExecutionStore delegate, ExecutionId filler) {
      super(delegate);
      this.filler = filler;
    }

    @Override
    public Assignment assign(ExecutionId id, WorkerId worker, Instant now) {
      if (assignCalls++ == 0) {
        assertThat(delegate.assign(filler, worker, now)).isInstanceOf(Assignment.Assigned.class);
      }
      return delegate.assign(id, worker, now);
    }
  }

  /** A fleet in which another scheduler always takes the last slot first. */
  private static final class AlwaysFullStore extends DelegatingStore {
    int assignCalls;

    AlwaysFullStore(ExecutionStore delegate) {
      super(delegate);
    }

    @Override
    public Assignment assign(ExecutionId id, WorkerId worker, Instant now) {
      assignCalls++;
      return new Assignment.WorkerFull(worker);
    }
  }

  /** Passes every call to a real store, so a subclass can change one. */
}
