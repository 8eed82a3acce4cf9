package io.attune.worker.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.adapter.out.memory.InMemoryActionCatalog;
import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ParameterCap;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.testkit.MutableClock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every end of an execution, of every kind and from every use case that records one, is announced to the
 * {@link ExecutionEvents} once and counted by the observer once: the two lists agree, one line per execution.
 */
class EveryEndIsMadeKnownOnceTest {

  private final RecordingObserver observer = new RecordingObserver();
  private final List<String> announced = new CopyOnWriteArrayList<>();
  private final List<String> requested = new CopyOnWriteArrayList<>();
  private final ExecutionEvents events = new ExecutionEvents() {
    @Override
    public void requested(Execution execution) {
      requested.add(execution.id().toString());
    }

    @Override
    public void ended(Execution execution) {
      announced.add(execution.id() + " " + execution.requirements().runtime() + " "
          + execution.status().wireName());
    }
  };

  @ParameterizedTest
  @EnumSource(EndScenarios.End.class)
  void each_end_is_announced_once_and_counted_once(EndScenarios.End end) {
    Execution execution = new EndScenarios(observer, events).drive(end);

    String line = execution.id() + " " + execution.requirements().runtime() + " " + end.status().wireName();
    assertThat(announced).as("announced").containsExactly(line);
    assertThat(observer.ended).as("counted").containsExactly(line);
    assertThat(requested).isEmpty();
  }

  @Test
  void a_submission_is_announced_as_requested_and_ends_nothing() {
    InMemoryExecutionStore store = new InMemoryExecutionStore(new InMemoryWorkerRegistry());
    ActionDefinition hello = ActionDefinition.simple("demo.hello", RuntimeName.SHELL, "hello.sh");

    new SubmitExecutionService(new InMemoryActionCatalog(List.of(hello)), store, MutableClock.atDefault(),
        ParameterCap.NONE, events).submit("demo.hello", Map.of());

    assertThat(requested).hasSize(1);
    assertThat(announced).isEmpty();
  }
}
