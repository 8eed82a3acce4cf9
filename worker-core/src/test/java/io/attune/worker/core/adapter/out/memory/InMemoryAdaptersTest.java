package io.attune.worker.core.adapter.out.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.placement.Fleet;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.out.ExecutionStore.Assignment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the in-memory adapters do beyond their port contracts. */
class InMemoryAdaptersTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore(registry);

  private Worker worker(String name) {
    return registry.register(new WorkerRegistration(name, WorkerType.LOCAL, "h",
        Capabilities.builder().runtime(RuntimeName.SHELL).maxConcurrentExecutions(1).build(),
        Duration.ofSeconds(30)), T0);
  }

  private Execution requested() {
    return store.create(new ExecutionRequest(ActionRequirements.of("demo.x", RuntimeName.SHELL), Map.of()), T0);
  }

  @Test
  void the_placement_index_follows_every_change_of_the_registry() {
    Worker w = worker("w");
    ActionRequirements action = ActionRequirements.of("demo.x", RuntimeName.SHELL);
    Fleet before = registry.candidatesFor(action);

    store.assign(requested().id(), w.id(), T0);
    registry.setCordoned("w", true);

    Worker after = registry.candidatesFor(action).byName("w").orElseThrow();
    assertThat(before.byName("w").orElseThrow().cordoned()).isFalse();
    assertThat(after.cordoned()).isTrue();
    assertThat(after.running()).isEqualTo(1);
    assertThat(registry.candidatesFor(action)).isSameAs(registry.candidatesFor(action));
  }

  @Test
  void assigning_to_an_unknown_worker_reserves_nothing() {
    Worker known = worker("w");
    Execution execution = requested();

    Assignment assignment = store.assign(execution.id(), new io.attune.worker.core.model.worker.WorkerId(
        known.id().value() + 100), T0);

    assertThat(assignment).isInstanceOf(Assignment.WorkerFull.class);
    assertThat(store.find(execution.id()).orElseThrow().worker()).isEmpty();
  }

  @Test
  void changing_an_unknown_execution_is_a_programming_error_naming_it() {
    worker("w");
    Execution execution = requested();
    var unknown = new io.attune.worker.core.model.execution.ExecutionId(execution.id().value() + 100);

    assertThatThrownBy(() -> store.start(unknown, 1, new io.attune.worker.core.model.worker.WorkerId(1), T0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no execution " + unknown);
  }

  @Test
  void the_dispatcher_hands_an_execution_to_the_worker_s_consumer() {
    Worker a = worker("a");
    Worker b = worker("b");
    InProcessDispatcher dispatcher = new InProcessDispatcher();
    List<String> seen = new ArrayList<>();
    dispatcher.subscribe(a.id(), e -> seen.add("a:" + e.id()));
    dispatcher.subscribe(b.id(), e -> seen.add("b:" + e.id()));
    Execution execution = requested();

    dispatcher.dispatch(execution, b);
    dispatcher.subscribe(b.id(), e -> seen.add("b2:" + e.id()));
    dispatcher.dispatch(execution, b);

    assertThat(seen).containsExactly("b:" + execution.id(), "b2:" + execution.id());
  }

  @Test
  void dispatching_to_a_worker_without_consumer_is_an_infrastructure_failure_naming_it() {
    Worker w = worker("w");
    InProcessDispatcher dispatcher = new InProcessDispatcher();
    dispatcher.subscribe(w.id(), e -> { });
    dispatcher.unsubscribe(w.id());
    Execution execution = requested();

    assertThatThrownBy(() -> dispatcher.dispatch(execution, w))
        .isInstanceOfSatisfying(InfrastructureException.class,
            e -> assertThat(e.operation()).isEqualTo("dispatch execution " + execution.id()))
        .hasMessageContaining("worker w has no subscribed consumer");
  }

  @Test
  void the_catalog_lists_actions_by_reference_and_refuses_duplicates() {
    ActionDefinition b = ActionDefinition.simple("pack.b", RuntimeName.SHELL, "b.sh");
    ActionDefinition a = ActionDefinition.simple("pack.a", RuntimeName.PYTHON, "a.py");
    InMemoryActionCatalog catalog = new InMemoryActionCatalog(List.of(b, a));

    assertThat(catalog.all()).extracting(action -> action.ref().toString()).containsExactly("pack.a", "pack.b");
    assertThat(catalog.find("pack.a")).contains(a);
    assertThat(catalog.find("pack.c")).isEmpty();
    assertThatThrownBy(() -> new InMemoryActionCatalog(List.of(a, a))).hasMessage("action pack.a is defined twice");
  }
}
