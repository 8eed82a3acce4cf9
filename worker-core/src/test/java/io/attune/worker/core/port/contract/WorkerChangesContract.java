package io.attune.worker.core.port.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.out.ExecutionStore.Assignment;
import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.port.out.WorkerChanges;
import io.attune.worker.core.port.out.WorkerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WorkerChanges} must do: every change to a worker, whatever made it, is reported after the
 * position read before it, with the worker's state as it is now. Extend it with a factory for an empty registry, its
 * feed and its execution store.
 */
public abstract class WorkerChangesContract {

  protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** The three ports over one state. */
  public record ChangesUnderTest(WorkerRegistry registry, WorkerChanges feed, ExecutionStore executions) {
  }

  private WorkerRegistry registry;
  private WorkerChanges feed;
  private ExecutionStore executions;
  /** What a reader following the feed knows, by id. */
  private final Map<WorkerId, Worker> followed = new HashMap<>();
  private long position;

  /** An empty registry with its feed, called before each test. */
  protected abstract ChangesUnderTest create();

  @BeforeEach
  public void createFeed() {
    ChangesUnderTest underTest = create();
    registry = underTest.registry();
    feed = underTest.feed();
    executions = underTest.executions();
    WorkerChanges.Snapshot snapshot = feed.snapshot();
    assertThat(snapshot.workers()).isEmpty();
    position = snapshot.position();
  }

  private Worker register(String name, int max) {
    return registry.register(new WorkerRegistration(name, WorkerType.LOCAL, "h",
        Capabilities.builder().runtime(RuntimeName.SHELL).maxConcurrentExecutions(max).build(),
        Duration.ofSeconds(30)), T0);
  }

  /** Reads the changes since the last read, applies them, and returns what was reported. */
  private WorkerChanges.Changes follow() {
    WorkerChanges.Changes changes = feed.since(position);
    assertThat(changes.complete()).isTrue();
    changes.removed().forEach(followed::remove);
    changes.changed().forEach(w -> followed.put(w.id(), w));
    position = changes.position();
    return changes;
  }

  private Worker followedAs(Worker worker) {
    return followed.get(worker.id());
  }

  @Test
  public void a_registration_is_reported_and_so_is_the_snapshot_after_it() {
    Worker a = register("a", 2);

    assertThat(follow().changed()).contains(a);
    assertThat(feed.snapshot().workers()).containsExactly(a);
  }

  @Test
  public void heartbeats_cordons_and_status_changes_are_reported_with_the_state_after_them() {
    Worker a = register("a", 2);
    Worker b = register("b", 2);
    follow();

    registry.heartbeat(a.id(), T0.plusSeconds(5));
    registry.setCordoned("b", true);
    follow();
    assertThat(followedAs(a).lastHeartbeat()).isEqualTo(T0.plusSeconds(5));
    assertThat(followedAs(b).cordoned()).isTrue();

    registry.markDraining(a.id());
    registry.markInactive(b.id());
    follow();
    assertThat(followedAs(a).status()).isEqualTo(WorkerStatus.DRAINING);
    assertThat(followedAs(b).status()).isEqualTo(WorkerStatus.INACTIVE);

    registry.heartbeat(b.id(), T0.plusSeconds(6));
    follow();
    assertThat(followedAs(b).status()).isEqualTo(WorkerStatus.ACTIVE);
  }

  @Test
  public void reserving_and_freeing_capacity_is_reported() {
    Worker a = register("a", 2);
    follow();
    ExecutionId id = executions.create(new ExecutionRequest(ActionRequirements.of("demo.run", RuntimeName.SHELL),
        Map.of()), T0).id();

    assertThat(executions.assign(id, a.id(), T0)).isInstanceOf(Assignment.Assigned.class);
    follow();
    assertThat(followedAs(a).running()).isOne();

    executions.start(id, 1, a.id(), T0);
    executions.finish(id, 1, ExecutionStatus.SUCCEEDED, ExecutionResult.message("done"), T0);
    follow();
    assertThat(followedAs(a).running()).isZero();
  }

  @Test
  public void a_pruned_worker_is_reported_removed_and_a_new_one_of_its_name_has_another_id() {
    Worker a = register("a", 2);
    Worker b = register("b", 2);
    follow();

    registry.markInactive(a.id());
    registry.heartbeat(b.id(), T0.plus(Duration.ofHours(2)));
    assertThat(registry.prune(T0.plus(Duration.ofHours(2)), Duration.ofHours(1))).containsExactly("a");
    WorkerChanges.Changes changes = follow();
    assertThat(changes.removed()).containsExactly(a.id());
    assertThat(changes.changed()).extracting(Worker::id).doesNotContain(a.id());

    Worker again = register("a", 3);
    follow();
    assertThat(followed.keySet()).containsExactlyInAnyOrder(b.id(), again.id());
    assertThat(followedAs(again).capabilities().maxConcurrentExecutions()).isEqualTo(3);
  }

  @Test
  public void the_reader_ends_where_a_fresh_snapshot_begins() {
    Worker a = register("a", 2);
    register("b", 2);
    follow();
    registry.setCordoned("a", true);
    registry.markInactive(a.id());
    register("c", 4);

    follow();

    assertThat(Map.copyOf(followed)).isEqualTo(byId(feed.snapshot()));
  }

  private static Map<WorkerId, Worker> byId(WorkerChanges.Snapshot snapshot) {
    Map<WorkerId, Worker> result = new HashMap<>();
    snapshot.workers().forEach(w -> result.put(w.id(), w));
    return result;
  }
}
