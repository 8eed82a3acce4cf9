package io.attune.worker.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.retry.Backoff;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.in.ReconcileExecutionsUseCase.Sweep;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase;
import io.attune.worker.core.port.out.Dispatcher;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore.Assignment;
import io.attune.worker.core.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReconcileExecutionsServiceTest {

  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final Duration DISPATCH_TIMEOUT = Duration.ofSeconds(60);

  private final MutableClock clock = MutableClock.atDefault();
  private final InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore(registry);
  private final List<Execution> dispatched = new ArrayList<>();
  private final Dispatcher dispatcher = (execution, worker) -> dispatched.add(execution);
  private final ReconcileExecutionsService reconciliation = reconciliation(2, 500);

  private ReconcileExecutionsService reconciliation(int maxAttempts, int pageSize) {
    ScheduleExecutionService scheduling = new ScheduleExecutionService(registry, store, dispatcher,
        PlacementPolicy.standard(),
        clock, ExecutionObserver.NONE, AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE);
    return new ReconcileExecutionsService(store, scheduling, clock,
        new ReconcileExecutionsService.Settings(TIMEOUT, DISPATCH_TIMEOUT, maxAttempts, pageSize), Runnable::run,
            ExecutionObserver.NONE, ExecutionEvents.NONE);
  }

  private Worker worker(String name, int slots) {
    return registry.register(new WorkerRegistration(name, WorkerType.LOCAL, "h",
        Capabilities.builder().runtime(RuntimeName.SHELL).maxConcurrentExecutions(slots).build(),
        Duration.ofSeconds(30)), clock.instant());
  }

  private Execution submitted() {
    return store.create(new ExecutionRequest(ActionRequirements.of("demo.x", RuntimeName.SHELL), Map.of()),
        clock.instant());
  }

  private Execution stored(Execution execution) {
    return store.find(execution.id()).orElseThrow();
  }

  /** A scheduler placed it and died before publishing the dispatch: scheduled, and no message on its way. */
  private Execution placedWithoutDispatch(Worker worker) {
    return ((Assignment.Assigned) store.assign(submitted().id(), worker.id(), clock.instant())).execution();
  }

  @Test
  void a_waiting_execution_is_placed_and_dispatched() {
    Worker w = worker("w", 1);
    Execution waiting = submitted();

    Sweep sweep = reconciliation.sweep();

    assertThat(sweep.placements()).singleElement().isInstanceOf(Scheduling.Dispatched.class);
    assertThat(stored(waiting).worker()).contains(w.id());
    assertThat(dispatched).extracting(Execution::id).containsExactly(waiting.id());
  }

  @Test
  void filling_free_slots_reads_only_the_runtimes_with_free_slots_about_as_many_as_there_are_slots() {
    Worker w = worker("w", 1);
    Execution node = store.create(new ExecutionRequest(ActionRequirements.of("demo.js", RuntimeName.NODE), Map.of()),
        clock.instant());
    List<Execution> shell = List.of(submitted(), submitted(), submitted(), submitted());
    List<ExecutionId> read = new ArrayList<>();
    DelegatingStore watched = new DelegatingStore(store) {
      @Override
      public List<Execution> waitingFor(Set<RuntimeName> runtimes, int limit) {
        List<Execution> page = super.waitingFor(runtimes, limit);
        page.forEach(e -> read.add(e.id()));
        return page;
      }
    };
    ReconcileExecutionsService filling = new ReconcileExecutionsService(watched, new ScheduleExecutionService(
        registry, watched, dispatcher, PlacementPolicy.standard(), clock, ExecutionObserver.NONE,
            AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE), clock,
        new ReconcileExecutionsService.Settings(TIMEOUT, DISPATCH_TIMEOUT, 2, 500), Runnable::run,
            ExecutionObserver.NONE, ExecutionEvents.NONE);

    Sweep sweep = filling.fillFreeSlots(Map.of(RuntimeName.SHELL, 1, RuntimeName.PYTHON, 0));

    // one free slot: the two oldest shell executions are read, the node one ahead of them is not
    assertThat(read).containsExactly(shell.get(0).id(), shell.get(1).id());
    assertThat(dispatched).extracting(Execution::id).containsExactly(shell.get(0).id());
    assertThat(stored(shell.get(0)).worker()).contains(w.id());
    assertThat(sweep.placements()).hasSize(2);
    assertThat(stored(node).status()).isEqualTo(ExecutionStatus.REQUESTED);
  }

  @Test
  void filling_reads_nothing_when_no_runtime_has_a_free_slot() {
    worker("w", 1);
    submitted();

    Sweep sweep = reconciliation.fillFreeSlots(Map.of(RuntimeName.SHELL, 0));

    assertThat(sweep.placements()).isEmpty();
    assertThat(dispatched).isEmpty();
  }

  @Test
  void an_execution_waiting_the_scheduling_timeout_since_submission_is_abandoned() {
    Execution waiting = submitted(); // no worker is registered at all
    clock.advance(TIMEOUT);

    Sweep sweep = reconciliation.sweep();

    assertThat(sweep.abandoned()).extracting(Execution::id).containsExactly(waiting.id());
    assertThat(stored(waiting).status()).isEqualTo(ExecutionStatus.ABANDONED);
    assertThat(stored(waiting).result().orElseThrow().message()).contains("scheduling timeout of 300 s");
  }

  @Test
  void a_requeued_execution_waits_again_from_its_requeue_not_from_its_submission() {
    // issue 10, scenario 5: it ran for ten minutes on a worker that then died
    Worker first = worker("first", 1);
    Execution execution = placedWithoutDispatch(first);
    store.start(execution.id(), 1, first.id(), clock.instant());
    clock.advance(Duration.ofMinutes(10));
    store.recover(execution.id(), 1, true, "worker lost", clock.instant());
    registry.setCordoned("first", true); // nobody can take it right now
    clock.advance(Duration.ofSeconds(1));

    Sweep sweep = reconciliation.sweep();

    assertThat(sweep.abandoned()).isEmpty();
    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.REQUESTED);
    assertThat(sweep.placements()).singleElement().isInstanceOf(Scheduling.Waiting.class);

    clock.advance(TIMEOUT);
    assertThat(reconciliation.sweep().abandoned()).extracting(Execution::id).containsExactly(execution.id());
  }

  @Test
  void an_execution_scheduled_past_the_dispatch_timeout_without_starting_is_requeued_and_placed_again() {
    // issue 10, scenario 4: the scheduler died between reserving the slot and publishing
    Worker w = worker("w", 1);
    Execution lost = placedWithoutDispatch(w);
    clock.advance(DISPATCH_TIMEOUT.minusSeconds(1));
    assertThat(reconciliation.sweep().requeued()).as("not yet").isEmpty();
    clock.advance(Duration.ofSeconds(1));

    Sweep sweep = reconciliation.sweep();

    assertThat(sweep.requeued()).extracting(Execution::id).containsExactly(lost.id());
    assertThat(stored(lost).status()).as("a redelivery waits its pace").isEqualTo(ExecutionStatus.REQUESTED);
    clock.advance(Backoff.REDELIVERIES.first());
    reconciliation.sweep();
    Execution again = stored(lost);
    assertThat(again.status()).as("placed again once its pace passed").isEqualTo(ExecutionStatus.SCHEDULED);
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(dispatched).extracting(Execution::attempt).containsExactly(2);
    assertThat(registry.byId(w.id()).orElseThrow().running()).as("the lost attempt's slot was given back")
        .isEqualTo(1);
    assertThat(store.start(lost.id(), 1, w.id(), clock.instant()).applied()).as("a late start of attempt 1").isFalse();
  }

  @Test
  void a_lost_dispatch_costs_no_run_even_when_a_single_run_is_allowed() {
    ReconcileExecutionsService oneRun = reconciliation(1, 500);
    Worker w = worker("w", 1);
    Execution lost = placedWithoutDispatch(w);
    clock.advance(DISPATCH_TIMEOUT);

    Sweep sweep = oneRun.sweep();

    assertThat(sweep.abandoned()).isEmpty();
    clock.advance(Backoff.REDELIVERIES.first());
    oneRun.sweep();
    Execution again = stored(lost);
    assertThat(again.attempt()).as("placed again once its pace passed").isEqualTo(2);
    assertThat(again.attempts().get(0).reason()).contains("dispatch was lost").contains("without counting a run");
    assertThat(again.runs()).isZero();
  }

  @Test
  void an_execution_dispatched_more_often_than_the_redelivery_bound_without_starting_is_abandoned() {
    ScheduleExecutionService scheduling = new ScheduleExecutionService(registry, store, dispatcher,
        PlacementPolicy.standard(), clock, ExecutionObserver.NONE,
            AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE);
    ReconcileExecutionsService twoRedeliveries = new ReconcileExecutionsService(store, scheduling, clock,
        new ReconcileExecutionsService.Settings(TIMEOUT, DISPATCH_TIMEOUT, new AttemptLimits(1, 2), 500, 1),
            Runnable::run, ExecutionObserver.NONE, ExecutionEvents.NONE);
    Worker w = worker("w", 1);
    Execution lost = placedWithoutDispatch(w);

    for (int pass = 0; pass < 3; pass++) {
      clock.advance(DISPATCH_TIMEOUT);
      registry.heartbeat(w.id(), clock.instant());
      twoRedeliveries.sweep(); // the dispatch was lost: requeued
      clock.advance(Backoff.REDELIVERIES.longest());
      registry.heartbeat(w.id(), clock.instant());
      twoRedeliveries.sweep(); // its pace passed: placed again, unless abandoned
    }

    Execution ended = stored(lost);
    assertThat(ended.status()).isEqualTo(ExecutionStatus.ABANDONED);
    assertThat(ended.attempt()).isEqualTo(3);
    assertThat(ended.result().orElseThrow().message()).contains("dispatched 3 times without ever starting")
        .contains("max 2 redeliveries");
    assertThat(registry.byId(w.id()).orElseThrow().running()).isZero();
  }

  @Test
  void while_the_transport_blocks_dispatches_the_sweep_places_requeues_and_abandons_nothing() {
    List<String> blockedBecause = new ArrayList<>(List.of("memory alarm"));
    Dispatcher blocking = new Dispatcher() {
      @Override
      public void dispatch(Execution execution, Worker worker) {
        dispatched.add(execution);
      }

      @Override
      public java.util.Optional<String> blocked() {
        return blockedBecause.stream().findFirst();
      }
    };
    ScheduleExecutionService scheduling = new ScheduleExecutionService(registry, store, blocking,
        PlacementPolicy.standard(), clock, ExecutionObserver.NONE,
            AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE);
    ReconcileExecutionsService reconciliation = new ReconcileExecutionsService(store, scheduling, clock,
        new ReconcileExecutionsService.Settings(TIMEOUT, DISPATCH_TIMEOUT, 2, 500), Runnable::run,
            ExecutionObserver.NONE, ExecutionEvents.NONE);
    Worker w = worker("w", 2);
    Execution stuck = placedWithoutDispatch(w);
    Execution waiting = submitted();
    clock.advance(TIMEOUT.plus(DISPATCH_TIMEOUT));

    Sweep paused = reconciliation.sweep();

    assertThat(paused.pausedBecause()).contains("memory alarm");
    assertThat(scheduling.schedule(waiting.id())).isInstanceOf(Scheduling.Skipped.class);
    assertThat(stored(stuck).status()).as("its dispatch may still arrive").isEqualTo(ExecutionStatus.SCHEDULED);
    assertThat(stored(waiting).status()).as("not given up on").isEqualTo(ExecutionStatus.REQUESTED);
    assertThat(dispatched).isEmpty();

    blockedBecause.clear();
    registry.heartbeat(w.id(), clock.instant());
    Sweep resumed = reconciliation.sweep();

    assertThat(resumed.pausedBecause()).isEmpty();
    assertThat(resumed.abandoned()).as("the scheduling timeout counts again from the end of the pause").isEmpty();
    assertThat(resumed.requeued()).as("a dispatch held back during the pause gets its time to arrive").isEmpty();
    assertThat(stored(stuck).status()).isEqualTo(ExecutionStatus.SCHEDULED);
    assertThat(stored(waiting).status()).isEqualTo(ExecutionStatus.SCHEDULED);
  }

  @Test
  void a_started_execution_is_never_taken_for_a_lost_dispatch() {
    Worker w = worker("w", 1);
    Execution running = placedWithoutDispatch(w);
    store.start(running.id(), 1, w.id(), clock.instant());
    clock.advance(DISPATCH_TIMEOUT.multipliedBy(10));

    assertThat(reconciliation.sweep().requeued()).isEmpty();
    assertThat(stored(running).status()).isEqualTo(ExecutionStatus.RUNNING);
  }

  @Test
  void one_pass_reads_at_most_a_page_of_waiting_executions_and_the_next_pass_continues() {
    ReconcileExecutionsService pagesOfTwo = reconciliation(2, 2);
    worker("w", 10);
    List<Execution> waiting = List.of(submitted(), submitted(), submitted());

    assertThat(pagesOfTwo.sweep().placements()).hasSize(2);
    assertThat(pagesOfTwo.sweep().placements()).hasSize(1);
    assertThat(waiting).allSatisfy(e -> assertThat(stored(e).status()).isEqualTo(ExecutionStatus.SCHEDULED));
  }

  @Test
  void a_pass_places_at_most_its_concurrency_at_once_and_each_waiting_execution_exactly_once() throws Exception {
    int concurrency = 3;
    List<Execution> waiting = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      waiting.add(submitted());
    }
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    // the first placements hold on until `concurrency` are in flight: a pass that placed fewer at once would never
    // get there (the await fails the test instead of hanging it)
    CountDownLatch allIn = new CountDownLatch(concurrency);
    Map<ExecutionId, Integer> calls = new ConcurrentHashMap<>();
    ScheduleExecutionUseCase counting = new ScheduleExecutionUseCase() {
      @Override
      public Scheduling schedule(ExecutionId id) {
        throw new AssertionError("the sweep hands over the execution it read, it does not ask for it by id");
      }

      @Override
      public Scheduling schedule(Execution execution) {
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
          calls.merge(execution.id(), 1, Integer::sum);
          allIn.countDown();
          if (!allIn.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("never were " + concurrency + " placements in flight at once");
          }
          return new Scheduling.Skipped(execution.id(), "counted");
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        } finally {
          inFlight.decrementAndGet();
        }
      }
    };
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      ReconcileExecutionsService sweeping = new ReconcileExecutionsService(store, counting, clock,
          new ReconcileExecutionsService.Settings(TIMEOUT, DISPATCH_TIMEOUT, 2, 500)
              .withPlacementConcurrency(concurrency), pool, ExecutionObserver.NONE, ExecutionEvents.NONE);

      Sweep sweep = sweeping.sweep();

      assertThat(mostInFlight.get()).isEqualTo(concurrency);
      assertThat(calls).hasSize(waiting.size()).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
      assertThat(sweep.placements()).extracting(Scheduling::id)
          .containsExactlyElementsOf(waiting.stream().map(Execution::id).toList());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrent_placements_never_over_commit_a_worker_nor_dispatch_an_execution_twice() {
    List<Worker> workers = List.of(worker("a", 2), worker("b", 3), worker("c", 1));
    for (int i = 0; i < 40; i++) {
      submitted();
    }
    List<Execution> sent = java.util.Collections.synchronizedList(new ArrayList<>());
    ScheduleExecutionService scheduling = new ScheduleExecutionService(registry, store, (e, w) -> sent.add(e),
        PlacementPolicy.standard(), clock, ExecutionObserver.NONE,
            AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      ReconcileExecutionsService sweeping = new ReconcileExecutionsService(store, scheduling, clock,
          new ReconcileExecutionsService.Settings(TIMEOUT, DISPATCH_TIMEOUT, 2, 500).withPlacementConcurrency(4),
          pool, ExecutionObserver.NONE, ExecutionEvents.NONE);

      Sweep sweep = sweeping.sweep();

      assertThat(sent).extracting(Execution::id).doesNotHaveDuplicates().hasSize(6);
      assertThat(sent).extracting(Execution::attempt).containsOnly(1);
      assertThat(sweep.placements()).hasSize(40);
      assertThat(sweep.placements()).filteredOn(Scheduling.Dispatched.class::isInstance).hasSize(6);
      for (Worker w : workers) {
        Worker now = registry.byId(w.id()).orElseThrow();
        assertThat(now.running()).isEqualTo(store.heldBy(w.id()).size())
            .isEqualTo(w.capabilities().maxConcurrentExecutions());
      }
      assertThat(store.waiting()).hasSize(34);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a_failed_placement_ends_the_pass_with_its_failure_after_the_others_have_ended() {
    worker("w", 10);
    for (int i = 0; i < 6; i++) {
      submitted();
    }
    AtomicInteger tries = new AtomicInteger();
    ScheduleExecutionUseCase failingOnce = new ScheduleExecutionUseCase() {
      @Override
      public Scheduling schedule(ExecutionId id) {
        throw new AssertionError("not asked by id");
      }

      @Override
      public Scheduling schedule(Execution execution) {
        if (tries.incrementAndGet() == 1) {
          throw new InfrastructureException("dispatch", "broker down");
        }
        return new Scheduling.Skipped(execution.id(), "counted");
      }
    };
    ReconcileExecutionsService sweeping = new ReconcileExecutionsService(store, failingOnce, clock,
        new ReconcileExecutionsService.Settings(TIMEOUT, DISPATCH_TIMEOUT, 2, 500).withPlacementConcurrency(2),
            Runnable::run, ExecutionObserver.NONE, ExecutionEvents.NONE);

    assertThatThrownBy(sweeping::sweep).isInstanceOf(InfrastructureException.class).hasMessageContaining("broker");
    // on the calling thread the first task stops at the failure and the second takes nothing more
    assertThat(tries.get()).isEqualTo(1);
  }

  @Test
  void settings_refuse_what_cannot_work() {
    assertThatThrownBy(() -> new ReconcileExecutionsService.Settings(Duration.ZERO, DISPATCH_TIMEOUT, 2, 10))
        .hasMessageContaining("scheduling timeout");
    assertThatThrownBy(() -> new ReconcileExecutionsService.Settings(TIMEOUT, DISPATCH_TIMEOUT, 0, 10))
        .hasMessageContaining("max attempts");
    assertThatThrownBy(() -> new ReconcileExecutionsService.Settings(TIMEOUT, DISPATCH_TIMEOUT, 2, 10, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReconcileExecutionsService.Settings(TIMEOUT, DISPATCH_TIMEOUT, 2, 0))
        .hasMessageContaining("page size");
  }
}
