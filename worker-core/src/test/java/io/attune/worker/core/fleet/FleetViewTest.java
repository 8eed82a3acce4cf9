package io.attune.worker.core.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.adapter.out.memory.InProcessDispatcher;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.Gpu;
import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.Fleet;
import io.attune.worker.core.model.placement.PlacementOutcome;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.GpuRequirement;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore.Assignment;
import io.attune.worker.core.port.out.WorkerChanges;
import io.attune.worker.core.service.DelegatingStore;
import io.attune.worker.core.service.ScheduleExecutionService;
import io.attune.worker.core.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scheduler's copy of the fleet follows the registry, on the schedule its clock and settings give. */
class FleetViewTest {

  private static final Duration STALENESS = Duration.ofMillis(200);
  private static final ActionRequirements SHELL = ActionRequirements.of("demo.run", RuntimeName.SHELL);

  private final MutableClock clock = MutableClock.atDefault();
  private final InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore(registry);

  private FleetView view(Duration maxStaleness) {
    return new FleetView(registry, registry, clock, maxStaleness, FleetView.DEFAULT_FULL_RELOAD);
  }

  private Worker register(String name, int max, String... runtimes) {
    Capabilities.Builder caps = Capabilities.builder().runtime(RuntimeName.SHELL).maxConcurrentExecutions(max);
    for (String runtime : runtimes) {
      caps.runtime(RuntimeName.of(runtime));
    }
    return registry.register(new WorkerRegistration(name, WorkerType.LOCAL, "h", caps.build(),
        WorkerRegistration.DEFAULT_HEARTBEAT_INTERVAL), clock.instant());
  }

  private Worker seen(FleetView view, String name) {
    return view.candidatesFor(SHELL).byName(name).orElseThrow();
  }

  /** The copy equals a fleet loaded afresh from the registry. */
  private void assertConverged(FleetView view) {
    assertThat(view.candidatesFor(SHELL).workers()).isEqualTo(Fleet.of(registry.all()).workers());
  }

  @Test
  void the_first_decision_loads_every_worker() {
    register("a", 2);
    register("b", 2, "python");

    assertThat(view(STALENESS).candidatesFor(SHELL).workers()).extracting(Worker::name).containsExactly("a", "b");
  }

  @Test
  void a_copy_younger_than_the_staleness_bound_is_served_as_it_is_then_catches_up() {
    Worker a = register("a", 2);
    FleetView view = view(STALENESS);
    assertThat(seen(view, "a").cordoned()).isFalse();

    registry.setCordoned("a", true);
    clock.advance(STALENESS.minusMillis(1));
    assertThat(seen(view, "a").cordoned()).as("still young").isFalse();
    assertThat(view.byName("a").orElseThrow().cordoned()).as("people's reads are exact").isTrue();

    clock.advance(Duration.ofMillis(1));
    assertThat(seen(view, "a").cordoned()).isTrue();
    assertThat(seen(view, "a").id()).isEqualTo(a.id());
  }

  @Test
  void registration_heartbeat_cordon_load_status_and_removal_all_converge() {
    Worker a = register("a", 2);
    Worker b = register("b", 2);
    FleetView view = view(Duration.ZERO);
    assertConverged(view);

    register("c", 3, "python");
    assertConverged(view);
    clock.advance(Duration.ofSeconds(10));
    registry.heartbeat(a.id(), clock.instant());
    assertConverged(view);
    assertThat(seen(view, "a").lastHeartbeat()).isEqualTo(clock.instant());
    registry.setCordoned("b", true);
    assertConverged(view);

    Execution execution = store.create(new ExecutionRequest(SHELL, Map.of()), clock.instant());
    assertThat(store.assign(execution.id(), a.id(), clock.instant())).isInstanceOf(Assignment.Assigned.class);
    assertThat(seen(view, "a").running()).isOne();
    store.start(execution.id(), 1, a.id(), clock.instant());
    store.finish(execution.id(), 1, ExecutionStatus.SUCCEEDED, ExecutionResult.message("done"), clock.instant());
    assertThat(seen(view, "a").running()).isZero();

    registry.markDraining(a.id());
    assertThat(seen(view, "a").status()).isEqualTo(WorkerStatus.DRAINING);
    registry.markInactive(b.id());
    assertThat(seen(view, "b").status()).isEqualTo(WorkerStatus.INACTIVE);
    register("b", 5, "node");
    assertThat(seen(view, "b").capabilities().maxConcurrentExecutions()).isEqualTo(5);
    assertConverged(view);

    registry.markInactive(a.id());
    clock.advance(Duration.ofHours(2));
    assertThat(registry.prune(clock.instant(), Duration.ofHours(1))).contains("a");
    assertThat(view.candidatesFor(SHELL).byName("a")).isEmpty();
    assertConverged(view);

    register("a", 1);
    assertThat(seen(view, "a").id()).as("registered again after the prune: a new id").isNotEqualTo(a.id());
    assertConverged(view);
  }

  @Test
  void refresh_catches_up_at_once_whatever_the_age() {
    register("a", 2);
    FleetView view = view(Duration.ofDays(1));
    assertThat(seen(view, "a").cordoned()).isFalse();

    registry.setCordoned("a", true);
    assertThat(seen(view, "a").cordoned()).isFalse();
    view.refresh();

    assertThat(seen(view, "a").cordoned()).isTrue();
  }

  @Test
  void everything_is_loaded_again_every_full_reload_period_and_when_the_feed_forgot_removals() {
    register("a", 2);
    CountingFeed feed = new CountingFeed(registry);
    FleetView view = new FleetView(feed, registry, clock, Duration.ZERO, Duration.ofSeconds(60));

    view.candidatesFor(SHELL);
    clock.advance(Duration.ofSeconds(59));
    view.candidatesFor(SHELL);
    assertThat(feed.snapshots).isOne();
    assertThat(feed.since).isOne();

    clock.advance(Duration.ofSeconds(1));
    view.candidatesFor(SHELL);
    assertThat(feed.snapshots).isEqualTo(2);

    feed.forget = true;
    clock.advance(Duration.ofSeconds(1));
    view.candidatesFor(SHELL);
    assertThat(feed.snapshots).isEqualTo(3);
    assertConverged(view);
  }

  @Test
  void after_losing_the_race_for_a_worker_the_scheduler_refreshes_its_copy_and_places_elsewhere() {
    Worker idle = register("idle", 1);
    Worker half = register("half", 2);
    store.assign(store.create(new ExecutionRequest(SHELL, Map.of()), clock.instant()).id(), half.id(),
        clock.instant());
    FleetView view = view(Duration.ofDays(1));
    view.candidatesFor(SHELL);
    // another scheduler takes the idle worker's only slot; this view does not know
    store.assign(store.create(new ExecutionRequest(SHELL, Map.of()), clock.instant()).id(), idle.id(),
        clock.instant());
    Execution execution = store.create(new ExecutionRequest(SHELL, Map.of()), clock.instant());
    InProcessDispatcher dispatcher = new InProcessDispatcher();
    List<Execution> delivered = new ArrayList<>();
    dispatcher.subscribe(half.id(), delivered::add);
    ScheduleExecutionService scheduler = new ScheduleExecutionService(view, store, dispatcher,
        PlacementPolicy.standard(), clock, ExecutionObserver.NONE,
            AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE);

    Scheduling result = scheduler.schedule(execution.id());

    assertThat(result).isInstanceOfSatisfying(Scheduling.Dispatched.class,
        dispatched -> assertThat(dispatched.worker().name()).isEqualTo("half"));
    assertThat(delivered).extracting(Execution::id).containsExactly(execution.id());
    assertThat(registry.byId(idle.id()).orElseThrow().running()).isOne();
  }

  @Test
  void a_slot_this_scheduler_reserved_counts_in_its_copy_at_once_so_placements_spread() {
    Worker a = register("a", 4);
    Worker b = register("b", 4);
    store.assign(store.create(new ExecutionRequest(SHELL, Map.of()), clock.instant()).id(), b.id(), clock.instant());
    FleetView view = view(Duration.ofDays(1));
    view.candidatesFor(SHELL);
    InProcessDispatcher dispatcher = new InProcessDispatcher();
    dispatcher.subscribe(a.id(), execution -> { });
    dispatcher.subscribe(b.id(), execution -> { });
    ScheduleExecutionService scheduler = new ScheduleExecutionService(view, store, dispatcher,
        PlacementPolicy.standard(), clock, ExecutionObserver.NONE,
            AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE);
    List<String> chosen = new ArrayList<>();

    for (int i = 0; i < 4; i++) {
      Execution execution = store.create(new ExecutionRequest(SHELL, Map.of()), clock.instant());
      Scheduling result = scheduler.schedule(execution.id());
      chosen.add(((Scheduling.Dispatched) result).worker().name());
    }

    // the copy never caught up (a day of staleness allowed): without counting its own reservations it would see
    // a idle and b busy for every decision, and put all four on a
    assertThat(chosen).contains("b");
    assertThat(view.current().byName("a").orElseThrow().running()
        + view.current().byName("b").orElseThrow().running()).isEqualTo(1 + 4);
  }

  @Test
  void free_slots_by_runtime_count_only_workers_that_could_take_work() {
    Worker busy = register("busy", 2, "python");
    register("idle", 3, "python", "node");
    register("cordoned", 5, "node");
    register("stale", 7, "ruby");
    store.assign(store.create(new ExecutionRequest(SHELL, Map.of()), clock.instant()).id(), busy.id(),
        clock.instant());
    registry.setCordoned("cordoned", true);
    clock.advance(Duration.ofMinutes(5));
    registry.all().stream().filter(w -> !w.name().equals("stale")).forEach(w -> registry.heartbeat(w.id(),
        clock.instant()));
    FleetView view = view(Duration.ZERO);
    view.refresh();

    assertThat(view.freeSlotsByRuntime()).containsOnly(
        Map.entry(RuntimeName.SHELL, 1 + 3),
        Map.entry(RuntimeName.PYTHON, 1 + 3),
        Map.entry(RuntimeName.NODE, 3));
  }

  @Test
  void a_choice_counts_in_the_copy_during_the_store_s_round_trip_and_is_given_back_when_the_store_refuses() {
    Worker w = register("w", 2);
    FleetView view = view(Duration.ofDays(1));
    view.refresh();
    List<Integer> seenDuringAssign = new ArrayList<>();
    DelegatingStore refusing = new DelegatingStore(store) {
      @Override
      public Assignment assign(io.attune.worker.core.model.execution.ExecutionId id, WorkerId worker,
          java.time.Instant now) {
        seenDuringAssign.add(view.current().byName("w").orElseThrow().running());
        // another scheduler placed it a moment ago
        return new Assignment.NotWaiting(store.find(id).orElseThrow().schedule(new WorkerId(999), now).execution());
      }
    };
    InProcessDispatcher dispatcher = new InProcessDispatcher();
    dispatcher.subscribe(w.id(), execution -> { });
    ScheduleExecutionService scheduler = new ScheduleExecutionService(view, refusing, dispatcher,
        PlacementPolicy.standard(), clock, ExecutionObserver.NONE,
            AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE);

    scheduler.schedule(store.create(new ExecutionRequest(SHELL, Map.of()), clock.instant()).id());

    assertThat(seenDuringAssign).first().isEqualTo(1);
    assertThat(view.current().byName("w").orElseThrow().running()).isZero();
  }

  @Test
  void giving_back_never_takes_a_count_below_zero() {
    Worker w = register("w", 2);
    FleetView view = view(Duration.ofDays(1));
    view.refresh();

    view.unreserved(w.id(), SHELL);

    assertThat(view.current().byName("w").orElseThrow().running()).isZero();
  }

  @Test
  void a_reservation_of_a_worker_the_copy_does_not_hold_changes_nothing() {
    register("a", 4);
    FleetView view = view(Duration.ofDays(1));
    Fleet before = view.candidatesFor(SHELL);

    view.reserved(new WorkerId(999), SHELL);

    assertThat(view.current()).isSameAs(before);
  }

  @Test
  void gpus_this_scheduler_reserved_count_in_its_copy_at_once_so_the_next_decision_waits() {
    Worker gpu = registry.register(new WorkerRegistration("gpu", WorkerType.LOCAL, "h", Capabilities.builder()
        .runtime(RuntimeName.SHELL).maxConcurrentExecutions(4).gpu(new Gpu("NVIDIA A100", 81920)).build(),
        WorkerRegistration.DEFAULT_HEARTBEAT_INTERVAL), clock.instant());
    ActionRequirements needsGpu = SHELL.withGpu(new GpuRequirement(1, 0));
    FleetView view = view(Duration.ofDays(1));
    view.candidatesFor(needsGpu);

    view.reserved(gpu.id(), needsGpu);

    assertThat(view.current().byName("gpu").orElseThrow().reserved().of("gpus")).isEqualTo(1);
    assertThat(PlacementPolicy.standard().decide(needsGpu, view.candidatesFor(needsGpu), clock.instant()).outcome())
        .isEqualTo(PlacementOutcome.WAIT);
  }

  @Test
  void while_one_decision_catches_up_the_others_decide_on_the_copy_they_have() throws Exception {
    register("a", 2);
    CountDownLatch inCatchUp = new CountDownLatch(1);
    CountDownLatch finishCatchUp = new CountDownLatch(1);
    WorkerChanges slowFeed = new WorkerChanges() {
      @Override
      public Snapshot snapshot() {
        return registry.snapshot();
      }

      @Override
      public Changes since(long position) {
        inCatchUp.countDown();
        try {
          finishCatchUp.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
        return registry.since(position);
      }
    };
    FleetView view = new FleetView(slowFeed, registry, clock, STALENESS, FleetView.DEFAULT_FULL_RELOAD);
    Fleet loaded = view.candidatesFor(SHELL);
    registry.setCordoned("a", true);
    clock.advance(STALENESS);
    ExecutorService catcher = Executors.newSingleThreadExecutor();
    try {
      Future<Fleet> caughtUp = catcher.submit(() -> view.candidatesFor(SHELL));
      assertThat(inCatchUp.await(10, TimeUnit.SECONDS)).isTrue();

      // this decision does not wait for the catch-up in progress
      assertThat(view.candidatesFor(SHELL)).isSameAs(loaded);

      finishCatchUp.countDown();
      assertThat(caughtUp.get(10, TimeUnit.SECONDS).byName("a").orElseThrow().cordoned()).isTrue();
    } finally {
      finishCatchUp.countDown();
      catcher.shutdownNow();
    }
  }

  @Test
  void a_worker_the_copy_does_not_know_yet_is_found_before_an_execution_is_called_unschedulable() {
    FleetView view = view(Duration.ofDays(1));
    assertThat(view.candidatesFor(SHELL).workers()).isEmpty();
    Worker late = register("late", 2);
    InProcessDispatcher dispatcher = new InProcessDispatcher();
    dispatcher.subscribe(late.id(), execution -> { });
    ScheduleExecutionService scheduler = new ScheduleExecutionService(view, store, dispatcher,
        PlacementPolicy.standard(), clock, ExecutionObserver.NONE,
            AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE);

    Scheduling result = scheduler.schedule(store.create(new ExecutionRequest(SHELL, Map.of()), clock.instant()).id());

    assertThat(result).isInstanceOfSatisfying(Scheduling.Dispatched.class,
        dispatched -> assertThat(dispatched.worker().name()).isEqualTo("late"));
  }

  @Test
  void random_changes_converge_with_the_registry() {
    Random random = new Random(12);
    FleetView view = view(STALENESS);
    List<Worker> known = new ArrayList<>();
    for (int step = 0; step < 1_000; step++) {
      String name = "w" + random.nextInt(25);
      switch (random.nextInt(6)) {
        case 0 -> known.add(register(name, 1 + random.nextInt(3), random.nextBoolean() ? "python" : "node"));
        case 1 -> known.forEach(w -> registry.heartbeat(w.id(), clock.instant()));
        case 2 -> registry.setCordoned(name, random.nextBoolean());
        case 3 -> registry.byName(name).ifPresent(w -> store.assign(
            store.create(new ExecutionRequest(SHELL, Map.of()), clock.instant()).id(), w.id(), clock.instant()));
        case 4 -> registry.byName(name).ifPresent(w -> registry.markInactive(w.id()));
        default -> registry.prune(clock.instant(), Duration.ofSeconds(30));
      }
      clock.advance(Duration.ofMillis(random.nextInt(150)));
      if (random.nextInt(3) == 0) {
        clock.advance(STALENESS);
        assertConverged(view);
      }
    }
    clock.advance(STALENESS);
    assertConverged(view);
  }

  /** The registry's feed, counting the calls and able to pretend it forgot old removals. */
  private static final class CountingFeed implements WorkerChanges {
    private final WorkerChanges delegate;
    private int snapshots;
    private int since;
    private boolean forget;

    CountingFeed(WorkerChanges delegate) {
      this.delegate = delegate;
    }

    @Override
    public Snapshot snapshot() {
      snapshots++;
      forget = false;
      return delegate.snapshot();
    }

    @Override
    public Changes since(long position) {
      since++;
      return forget ? Changes.incomplete(position) : delegate.since(position);
    }
  }
}
