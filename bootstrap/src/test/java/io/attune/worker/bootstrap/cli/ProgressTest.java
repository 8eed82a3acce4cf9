package io.attune.worker.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
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
import io.attune.worker.core.testkit.MutableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTest {

  private final MutableClock clock = MutableClock.atDefault();
  private final InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore(registry);
  private final Worker w1 = worker("w-1");
  private final Worker w2 = worker("w-2");
  private final Progress progress = new Progress(new ExecutionView(registry));

  private Worker worker(String name) {
    return registry.register(new WorkerRegistration(name, WorkerType.LOCAL, "h",
        Capabilities.builder().runtime(RuntimeName.SHELL).maxConcurrentExecutions(2).build(), Duration.ofSeconds(30)),
        clock.instant());
  }

  private Execution now(ExecutionId id) {
    return store.find(id).orElseThrow();
  }

  @Test
  void steps_shorter_than_a_look_are_still_told_in_order_and_once() {
    ExecutionId id = store.create(new ExecutionRequest(ActionRequirements.of("demo.hello", RuntimeName.SHELL),
        Map.of()), clock.instant()).id();
    assertThat(progress.since(now(id))).isEmpty();

    store.assign(id, w1.id(), clock.instant());
    store.start(id, 1, w1.id(), clock.instant());
    store.recover(id, 1, true, "worker lost", clock.instant());
    assertThat(progress.since(now(id))).containsExactly("execution 1: scheduled on worker w-1 (attempt 1)",
        "execution 1: running on w-1", "execution 1: attempt 1 requeued: worker lost");

    store.assign(id, w2.id(), clock.instant());
    store.start(id, 2, w2.id(), clock.instant());
    store.finish(id, 2, ExecutionStatus.SUCCEEDED, ExecutionResult.message("exit status 0"), clock.instant());
    assertThat(progress.since(now(id))).containsExactly("execution 1: scheduled on worker w-2 (attempt 2)",
        "execution 1: running on w-2", "execution 1: succeeded: exit status 0");
    assertThat(progress.since(now(id))).isEmpty();
  }

  @Test
  void an_execution_cancelled_while_waiting_is_told_as_cancelled() {
    ExecutionId id = store.create(new ExecutionRequest(ActionRequirements.of("demo.hello", RuntimeName.SHELL),
        Map.of()), clock.instant()).id();

    store.requestCancel(id, "cancelled on request", clock.instant());

    assertThat(progress.since(now(id))).containsExactly("execution 1: cancelled: cancelled on request");
  }
}
