package io.attune.worker.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.in.CancelExecutionUseCase.Cancellation;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore.Assignment;
import io.attune.worker.core.port.out.StopSignals;
import io.attune.worker.core.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CancelExecutionServiceTest {

  private final MutableClock clock = MutableClock.atDefault();
  private final InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore(registry);
  private final Worker worker = registry.register(new WorkerRegistration("w", WorkerType.LOCAL, "h",
      Capabilities.builder().runtime(RuntimeName.SHELL).maxConcurrentExecutions(2).build(), Duration.ofSeconds(30)),
      clock.instant());
  private final List<ExecutionId> signalled = new CopyOnWriteArrayList<>();
  private final StopSignals recording = execution -> signalled.add(execution.id());

  private Execution requested() {
    return store.create(new ExecutionRequest(ActionRequirements.of("demo.hello", RuntimeName.SHELL), Map.of()),
        clock.instant());
  }

  private Execution running() {
    Execution created = requested();
    store.assign(created.id(), worker.id(), clock.instant());
    return store.start(created.id(), 1, worker.id(), clock.instant()).execution();
  }

  @Test
  void a_requested_execution_is_cancelled_at_once_and_no_worker_is_told() {
    Execution created = requested();

    Cancellation answer = new CancelExecutionService(store, recording, clock, ExecutionObserver.NONE,
        ExecutionEvents.NONE).cancel(created.id());

    assertThat(answer).isInstanceOfSatisfying(Cancellation.Cancelled.class,
        c -> assertThat(c.execution().status()).isEqualTo(ExecutionStatus.CANCELLED));
    assertThat(store.find(created.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(signalled).isEmpty();
  }

  @Test
  void a_scheduled_execution_is_cancelled_at_once_and_its_slot_freed() {
    Execution created = requested();
    assertThat(store.assign(created.id(), worker.id(), clock.instant())).isInstanceOf(Assignment.Assigned.class);

    Cancellation answer = new CancelExecutionService(store, recording, clock, ExecutionObserver.NONE,
        ExecutionEvents.NONE).cancel(created.id());

    assertThat(answer).isInstanceOf(Cancellation.Cancelled.class);
    assertThat(registry.byId(worker.id()).orElseThrow().running()).isZero();
  }

  @Test
  void a_running_execution_is_recorded_for_its_worker_and_the_worker_is_told() {
    Execution running = running();

    Cancellation answer = new CancelExecutionService(store, recording, clock, ExecutionObserver.NONE,
        ExecutionEvents.NONE).cancel(running.id());

    assertThat(answer).isInstanceOfSatisfying(Cancellation.StopRequested.class, r -> {
      assertThat(r.execution().status()).isEqualTo(ExecutionStatus.RUNNING);
      assertThat(r.execution().cancelPending()).isTrue();
      assertThat(r.signalFailure()).isEmpty();
    });
    assertThat(signalled).containsExactly(running.id());
  }

  @Test
  void a_signal_that_cannot_be_sent_leaves_the_request_recorded_and_says_why() {
    Execution running = running();
    StopSignals broken = execution -> {
      throw new InfrastructureException("publish execution.cancel", "broker unreachable");
    };

    Cancellation answer = new CancelExecutionService(store, broken, clock, ExecutionObserver.NONE,
        ExecutionEvents.NONE).cancel(running.id());

    assertThat(answer).isInstanceOfSatisfying(Cancellation.StopRequested.class,
        r -> assertThat(r.signalFailure()).hasValueSatisfying(why -> assertThat(why).contains("broker unreachable")));
    assertThat(store.find(running.id()).orElseThrow().cancelPending()).isTrue();
  }

  @Test
  void a_second_cancel_of_a_running_execution_tells_the_worker_again_and_changes_nothing() {
    Execution running = running();
    CancelExecutionService service = new CancelExecutionService(store, recording, clock, ExecutionObserver.NONE,
        ExecutionEvents.NONE);
    service.cancel(running.id());
    Execution afterFirst = store.find(running.id()).orElseThrow();

    Cancellation again = service.cancel(running.id());

    assertThat(again).isInstanceOf(Cancellation.AlreadyRequested.class);
    assertThat(store.find(running.id()).orElseThrow()).isEqualTo(afterFirst);
    assertThat(signalled).containsExactly(running.id(), running.id());
  }

  @Test
  void an_ended_execution_is_left_as_it_is() {
    Execution running = running();
    store.finish(running.id(), 1, ExecutionStatus.SUCCEEDED, ExecutionResult.message("ok"), clock.instant());

    Cancellation answer = new CancelExecutionService(store, recording, clock, ExecutionObserver.NONE,
        ExecutionEvents.NONE).cancel(running.id());

    assertThat(answer).isInstanceOfSatisfying(Cancellation.AlreadyEnded.class,
        e -> assertThat(e.execution().status()).isEqualTo(ExecutionStatus.SUCCEEDED));
    assertThat(signalled).isEmpty();
  }

  @Test
  void an_unknown_id_is_named() {
    Cancellation answer = new CancelExecutionService(store, recording, clock, ExecutionObserver.NONE,
        ExecutionEvents.NONE).cancel(new ExecutionId(404));

    assertThat(answer).isEqualTo(new Cancellation.Unknown(new ExecutionId(404)));
  }
}
