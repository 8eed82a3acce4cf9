package io.attune.worker.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.in.RecoverLostExecutionsUseCase.Recovery;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore.Assignment;
import io.attune.worker.core.testkit.MutableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecoverLostExecutionsServiceTest {

  private static final Duration INTERVAL = Duration.ofSeconds(30);
  private static final Duration STALE = INTERVAL.multipliedBy(3);

  private final MutableClock clock = MutableClock.atDefault();
  private final InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore(registry);
  private final RecoverLostExecutionsService monitor = monitor(RecoverLostExecutionsService.DEFAULT_MAX_ATTEMPTS);

  private RecoverLostExecutionsService monitor(int maxAttempts) {
    return new RecoverLostExecutionsService(registry, registry, store, clock, AttemptLimits.ofRuns(maxAttempts),
        ExecutionObserver.NONE, ExecutionEvents.NONE);
  }

  private Worker worker(String name) {
    return registry.register(new WorkerRegistration(name, WorkerType.LOCAL, "h",
        Capabilities.builder().runtime(RuntimeName.SHELL).build(), INTERVAL), clock.instant());
  }

  private Execution runningOn(Worker worker) {
    Execution created = store.create(new ExecutionRequest(ActionRequirements.of("demo.x", RuntimeName.SHELL),
        Map.of()), clock.instant());
    return startOn(created, worker);
  }

  private Execution startOn(Execution execution, Worker worker) {
    Assignment assigned = store.assign(execution.id(), worker.id(), clock.instant());
    Execution placed = ((Assignment.Assigned) assigned).execution();
    return store.start(placed.id(), placed.attempt(), placed.worker().orElseThrow(), clock.instant()).execution();
  }

  private Execution stored(Execution execution) {
    return store.find(execution.id()).orElseThrow();
  }

  @Test
  void a_worker_silent_for_three_intervals_is_marked_inactive() {
    Worker silent = worker("silent");
    Worker alive = worker("alive");
    clock.advance(Duration.ofSeconds(60));
    registry.heartbeat(alive.id(), clock.instant());
    clock.advance(Duration.ofSeconds(30));

    Recovery recovery = monitor.recover();

    assertThat(recovery.markedInactive()).extracting(Worker::id).containsExactly(silent.id());
    assertThat(registry.byId(silent.id()).orElseThrow().status()).isEqualTo(WorkerStatus.INACTIVE);
    assertThat(registry.byId(alive.id()).orElseThrow().status()).isEqualTo(WorkerStatus.ACTIVE);
  }

  @Test
  void one_millisecond_before_three_intervals_nothing_happens() {
    Worker w = worker("w");
    Execution execution = runningOn(w);
    clock.advance(STALE.minusMillis(1));

    Recovery recovery = monitor.recover();

    assertThat(recovery.markedInactive()).isEmpty();
    assertThat(recovery.requeued()).isEmpty();
    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.RUNNING);
  }

  @Test
  void what_a_lost_worker_held_is_requeued_while_attempts_remain_and_its_slot_is_freed() {
    Worker lost = worker("lost");
    Execution execution = runningOn(lost);
    clock.advance(STALE);

    Recovery recovery = monitor.recover();

    assertThat(recovery.requeued()).extracting(Execution::id).containsExactly(execution.id());
    assertThat(recovery.abandoned()).isEmpty();
    Execution requeued = stored(execution);
    assertThat(requeued.status()).isEqualTo(ExecutionStatus.REQUESTED);
    assertThat(requeued.worker()).isEmpty();
    assertThat(requeued.result().orElseThrow().message())
        .isEqualTo("worker " + lost.id() + " was lost during attempt 1; requeued (run 1 of at most 2)");
    assertThat(registry.byId(lost.id()).orElseThrow().running()).isZero();
    assertThat(store.waiting()).extracting(Execution::id).containsExactly(execution.id());
  }

  @Test
  void when_no_attempt_remains_the_execution_is_abandoned() {
    Worker first = worker("first");
    Execution execution = runningOn(first);
    clock.advance(STALE);
    monitor.recover();
    Worker second = worker("second");
    startOn(stored(execution), second);
    clock.advance(STALE);

    Recovery recovery = monitor.recover();

    assertThat(recovery.abandoned()).extracting(Execution::id).containsExactly(execution.id());
    Execution abandoned = stored(execution);
    assertThat(abandoned.status()).isEqualTo(ExecutionStatus.ABANDONED);
    assertThat(abandoned.attempt()).isEqualTo(2);
    assertThat(abandoned.result().orElseThrow().message()).contains("no attempt left (max 2 runs)");
    assertThat(registry.byId(second.id()).orElseThrow().running()).isZero();
  }

  @Test
  void with_a_single_attempt_the_first_loss_abandons() {
    Execution execution = runningOn(worker("w"));
    clock.advance(STALE);

    Recovery recovery = monitor(1).recover();

    assertThat(recovery.abandoned()).extracting(Execution::id).containsExactly(execution.id());
    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.ABANDONED);
  }

  @Test
  void a_result_from_the_lost_attempt_arriving_later_is_refused() {
    Worker lost = worker("lost");
    Execution execution = runningOn(lost);
    clock.advance(STALE);
    monitor.recover();
    Worker rescuer = worker("rescuer");
    Execution retried = startOn(stored(execution), rescuer);

    Transition late = store.finish(execution.id(), execution.attempt(), ExecutionStatus.SUCCEEDED,
        ExecutionResult.message("finished after all"), clock.instant());

    assertThat(late).isInstanceOf(Transition.Refused.class);
    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(stored(execution).worker()).contains(rescuer.id());
    assertThat(retried.attempt()).isEqualTo(execution.attempt() + 1);
  }

  @Test
  void what_an_inactive_but_fresh_worker_still_holds_is_recovered_too() {
    Worker w = worker("w");
    Execution execution = runningOn(w);
    registry.markInactive(w.id());

    Recovery recovery = monitor.recover();

    assertThat(recovery.markedInactive()).isEmpty();
    assertThat(recovery.requeued()).extracting(Execution::id).containsExactly(execution.id());
  }

  @Test
  void a_second_pass_finds_nothing_more_to_do() {
    runningOn(worker("w"));
    clock.advance(STALE);
    monitor.recover();

    Recovery again = monitor.recover();

    assertThat(again.markedInactive()).isEmpty();
    assertThat(again.requeued()).isEmpty();
    assertThat(again.abandoned()).isEmpty();
  }

  @Test
  void a_worker_restarted_before_it_went_stale_recovers_what_its_earlier_process_held() {
    // issue 10, scenario 3: SIGKILL and restart within three heartbeats: same name, same id, same running count
    Worker before = worker("w");
    Execution running = runningOn(before);
    Execution scheduled = ((Assignment.Assigned) store.assign(store.create(new ExecutionRequest(
        ActionRequirements.of("demo.x", RuntimeName.SHELL), Map.of()), clock.instant()).id(), before.id(),
        clock.instant())).execution();
    clock.advance(Duration.ofSeconds(5));
    Worker again = worker("w");
    assertThat(again.id()).isEqualTo(before.id());
    assertThat(monitor.recover().requeued()).as("the scheduler sees nothing wrong: the worker is fresh").isEmpty();

    Recovery recovery = monitor.recoverHeldBy(again.id(), "restarted");

    assertThat(recovery.requeued()).extracting(Execution::id).containsExactly(running.id(), scheduled.id());
    assertThat(stored(running).result().orElseThrow().message())
        .isEqualTo("worker " + again.id() + " restarted during attempt 1; requeued (run 1 of at most 2)");
    assertThat(registry.byId(again.id()).orElseThrow().running()).isZero();
    store.assign(running.id(), again.id(), clock.instant());
    store.start(running.id(), 2, again.id(), clock.instant());
    assertThat(store.finish(running.id(), 1, ExecutionStatus.SUCCEEDED, ExecutionResult.message("late"),
        clock.instant()).applied()).as("a result of the dead process, once attempt 2 runs").isFalse();
  }

  @Test
  void a_worker_that_restarts_holding_its_last_attempt_abandons_it() {
    Worker w = worker("w");
    Execution running = runningOn(w);

    Recovery recovery = monitor(1).recoverHeldBy(w.id(), "restarted");

    assertThat(recovery.abandoned()).extracting(Execution::id).containsExactly(running.id());
    assertThat(stored(running).status()).isEqualTo(ExecutionStatus.ABANDONED);
  }

  @Test
  void at_least_one_attempt_is_required() {
    assertThatThrownBy(() -> monitor(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
