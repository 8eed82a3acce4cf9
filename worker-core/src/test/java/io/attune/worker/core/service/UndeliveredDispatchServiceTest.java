package io.attune.worker.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore.Assignment;
import io.attune.worker.core.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UndeliveredDispatchServiceTest {

  private final MutableClock clock = MutableClock.atDefault();
  private final InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore(registry);
  private final UndeliveredDispatchService service = new UndeliveredDispatchService(store, clock,
      ExecutionObserver.NONE, AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE);
  private final Worker worker = registry.register(new WorkerRegistration("w-1", WorkerType.LOCAL, "host",
      Capabilities.builder().runtime(RuntimeName.SHELL).maxConcurrentExecutions(1).build(), Duration.ofSeconds(30)),
      clock.instant());

  private Execution dispatched() {
    Execution created = store.create(new ExecutionRequest(ActionRequirements.of("demo.hello", RuntimeName.SHELL),
        Map.of()), clock.instant());
    return ((Assignment.Assigned) store.assign(created.id(), worker.id(), clock.instant())).execution();
  }

  @Test
  void an_undelivered_dispatch_gives_the_slot_back_and_queues_the_execution_again_with_the_reason() {
    Execution execution = dispatched();

    Transition requeued = service.undelivered(execution, worker, "the broker refused it (nack)");

    assertThat(requeued.applied()).isTrue();
    Execution stored = store.find(execution.id()).orElseThrow();
    assertThat(stored.status()).isEqualTo(ExecutionStatus.REQUESTED);
    assertThat(stored.result().orElseThrow().message()).contains("dispatch to w-1 failed").contains("nack");
    assertThat(registry.byId(worker.id()).orElseThrow().running()).isZero();
  }

  @Test
  void an_undelivered_dispatch_of_an_attempt_that_moved_on_changes_nothing() {
    Execution first = dispatched();
    service.undelivered(first, worker, "nack");
    Execution second = ((Assignment.Assigned) store.assign(first.id(), worker.id(), clock.instant())).execution();

    Transition late = service.undelivered(first, worker, "a late timeout of the first attempt");

    assertThat(late.applied()).isFalse();
    assertThat(store.find(first.id()).orElseThrow()).isEqualTo(second);
    assertThat(registry.byId(worker.id()).orElseThrow().running()).isEqualTo(1);
  }

  @Test
  void undelivered_dispatches_are_redeliveries_counted_apart_and_bounded() {
    List<Execution> redelivered = new ArrayList<>();
    List<Execution> ended = new ArrayList<>();
    ExecutionObserver observer = new ExecutionObserver() {
      @Override
      public void executionRedelivered(Execution requeued) {
        redelivered.add(requeued);
      }

      @Override
      public void executionEnded(Execution execution) {
        ended.add(execution);
      }
    };
    UndeliveredDispatchService oneRedelivery = new UndeliveredDispatchService(store, clock, observer,
        new AttemptLimits(1, 1), io.attune.worker.core.port.out.ExecutionEvents.NONE);
    Execution first = dispatched();

    oneRedelivery.undelivered(first, worker, "unroutable: no queue");
    Execution second = ((Assignment.Assigned) store.assign(first.id(), worker.id(), clock.instant())).execution();
    Transition last = oneRedelivery.undelivered(second, worker, "unroutable: no queue");

    assertThat(redelivered).extracting(Execution::id).containsExactly(first.id());
    assertThat(last.execution().status()).isEqualTo(ExecutionStatus.ABANDONED);
    assertThat(last.execution().result().orElseThrow().message()).contains("unroutable")
        .contains("dispatched 2 times without ever starting");
    assertThat(ended).extracting(Execution::id).containsExactly(first.id());
    assertThat(registry.byId(worker.id()).orElseThrow().running()).isZero();
  }
}
