package io.attune.worker.core.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.fleet.FleetView;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.in.ReconcileExecutionsUseCase.Sweep;
import io.attune.worker.core.port.in.RecoverLostExecutionsUseCase.Recovery;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The embedded scheduler's loop as its listener hears it: sweeps, fills after an end, liveness. */
class EmbeddedSchedulerTest {

  /** Long enough that only the first sweep and the ones asked for run during a test. */
  private static final Duration RARELY = Duration.ofHours(1);

  private final MutableClock clock = MutableClock.atDefault();
  private final InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore(registry);
  private final List<Execution> dispatched = new CopyOnWriteArrayList<>();
  private final Heard heard = new Heard();

  private Worker worker(int slots) {
    return registry.register(new WorkerRegistration("w", WorkerType.LOCAL, "h", Capabilities.builder()
        .runtime(RuntimeName.SHELL).maxConcurrentExecutions(slots).build(), Duration.ofSeconds(30)), clock.instant());
  }

  private Execution submitted() {
    return store.create(new ExecutionRequest(ActionRequirements.of("demo.x", RuntimeName.SHELL), Map.of()),
        clock.instant());
  }

  private EmbeddedScheduler.Builder scheduler() {
    return EmbeddedScheduler.builder(registry, registry, store, (execution, on) -> dispatched.add(execution))
        .clock(clock).listener(heard);
  }

  @Test
  void the_listener_hears_each_sweep_with_what_it_placed_and_what_waits() throws Exception {
    worker(1);
    Execution first = submitted();
    Execution second = submitted();

    try (EmbeddedScheduler scheduler = scheduler().every(RARELY, RARELY).start()) {
      awaitTrue(() -> !heard.sweeps.isEmpty());
    }

    List<Scheduling> placements = heard.sweeps.get(0).placements();
    assertThat(placements).filteredOn(Scheduling.Dispatched.class::isInstance).extracting(Scheduling::id)
        .containsExactly(first.id());
    assertThat(placements).filteredOn(Scheduling.Waiting.class::isInstance).extracting(Scheduling::id)
        .containsExactly(second.id());
  }

  @Test
  void a_fill_after_an_end_places_on_the_slot_it_freed_as_the_fleet_view_counts_it() throws Exception {
    Worker w = worker(1);
    Execution first = submitted();
    Execution second = submitted();
    FleetView view = new FleetView(registry, registry, clock, Duration.ZERO, FleetView.DEFAULT_FULL_RELOAD);
    try (EmbeddedScheduler scheduler = scheduler().fleetView(view).every(RARELY, RARELY).start()) {
      awaitTrue(() -> dispatched.size() == 1);
      store.start(first.id(), 1, w.id(), clock.instant());
      store.finish(first.id(), 1, ExecutionStatus.SUCCEEDED, ExecutionResult.message("ok"), clock.instant());

      scheduler.fillSoon();

      awaitTrue(() -> dispatched.size() == 2);
    }

    assertThat(dispatched).extracting(Execution::id).containsExactly(first.id(), second.id());
  }

  @Test
  void the_liveness_check_marks_a_silent_worker_inactive_and_hands_on_what_it_held() throws Exception {
    Worker w = worker(1);
    Execution held = submitted();
    try (EmbeddedScheduler scheduler = scheduler().every(RARELY, Duration.ofMillis(20)).start()) {
      awaitTrue(() -> dispatched.size() == 1);
      clock.advance(w.staleAfter().plusSeconds(1));

      awaitTrue(() -> !heard.recoveries.isEmpty());
    }

    Recovery recovery = heard.recoveries.get(0);
    assertThat(recovery.markedInactive()).extracting(Worker::name).containsExactly("w");
    assertThat(recovery.requeued()).extracting(Execution::id).containsExactly(held.id());
    assertThat(registry.byName("w").orElseThrow().status()).isEqualTo(WorkerStatus.INACTIVE);
  }

  /** Waits up to ten seconds for the condition: a bound on a wait, not on how fast anything is. */
  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 1_000 && !condition.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }

  /** What the listener was told. */
  private static final class Heard implements SchedulerListener {
    final List<Sweep> sweeps = new CopyOnWriteArrayList<>();
    final List<Recovery> recoveries = new CopyOnWriteArrayList<>();

    @Override
    public void swept(Sweep sweep) {
      sweeps.add(sweep);
    }

    @Override
    public void recovered(Recovery recovery) {
      if (!recovery.markedInactive().isEmpty()) {
        recoveries.add(recovery);
      }
    }
  }
}
