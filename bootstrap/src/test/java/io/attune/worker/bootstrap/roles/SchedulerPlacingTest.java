package io.attune.worker.bootstrap.roles;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.bootstrap.config.ConfigLoader;
import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.placement.ActionRequirements;
import io.attune.worker.core.model.placement.Fleet;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.in.ReconcileExecutionsUseCase.Sweep;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.port.out.WorkerChanges;
import io.attune.worker.core.port.out.WorkerDirectory;
import io.attune.worker.core.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The scheduler role's placing parts, composed over in-memory ports: what the role decides on and places with. */
class SchedulerPlacingTest {

  private final MutableClock clock = MutableClock.atDefault();
  private final InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore(registry);
  private final List<Execution> dispatched = Collections.synchronizedList(new ArrayList<>());

  @Test
  void decisions_are_made_on_the_fleet_view_not_on_the_registry_candidate_query() {
    registry.register(new WorkerRegistration("w", WorkerType.LOCAL, "h",
        Capabilities.builder().runtime(RuntimeName.SHELL).maxConcurrentExecutions(5).build(),
        Duration.ofSeconds(30)), clock.instant());
    Feed feed = new Feed();
    Placing placing = Placing.compose(feed, new NoCandidateQuery(), store,
        (execution, worker) -> dispatched.add(execution), clock, config(Map.of()));
    try {
      Execution execution = submitted();

      Scheduling result = placing.scheduling().schedule(execution.id());

      assertThat(result).isInstanceOf(Scheduling.Dispatched.class);
      assertThat(feed.snapshots.get()).isEqualTo(1);
      assertThat(placing.view().current().byName("w")).isPresent();
    } finally {
      placing.pool().shutdownNow();
    }
  }

  @Test
  void the_view_staleness_and_the_sweep_pool_follow_the_configuration() {
    registry.register(new WorkerRegistration("w", WorkerType.LOCAL, "h",
        Capabilities.builder().runtime(RuntimeName.SHELL).maxConcurrentExecutions(3).build(),
        Duration.ofSeconds(30)), clock.instant());
    Feed feed = new Feed();
    Placing placing = Placing.compose(feed, new NoCandidateQuery(), store,
        (execution, worker) -> dispatched.add(execution), clock,
        config(Map.of("ATTUNE_FLEET_VIEW_MAX_STALENESS_MS", "0", "ATTUNE_SWEEP_CONCURRENCY", "3")));
    try {
      for (int i = 0; i < 5; i++) {
        submitted();
      }

      Sweep sweep = placing.reconciliation().sweep();

      assertThat(((ThreadPoolExecutor) placing.pool()).getMaximumPoolSize()).isEqualTo(3);
      assertThat(sweep.placements()).hasSize(5);
      assertThat(dispatched).extracting(Execution::id).doesNotHaveDuplicates().hasSize(3);
      // a view allowed no staleness reads the changes before each decision after the first load
      assertThat(feed.snapshots.get()).isEqualTo(1);
      assertThat(feed.sinceCalls.get()).isGreaterThanOrEqualTo(4);
    } finally {
      placing.pool().shutdownNow();
    }
  }

  private Execution submitted() {
    return store.create(new ExecutionRequest(ActionRequirements.of("demo.x", RuntimeName.SHELL), Map.of()),
        clock.instant());
  }

  private static io.attune.worker.bootstrap.config.AttuneConfig config(Map<String, String> environment) {
    return new ConfigLoader(environment).load(Optional.empty());
  }

  /** The in-memory registry's workers as a feed: every worker, every time. */
  private final class Feed implements WorkerChanges {
    final AtomicInteger snapshots = new AtomicInteger();
    final AtomicInteger sinceCalls = new AtomicInteger();

    @Override
    public Snapshot snapshot() {
      snapshots.incrementAndGet();
      return new Snapshot(registry.all(), 1);
    }

    @Override
    public Changes since(long position) {
      sinceCalls.incrementAndGet();
      return new Changes(registry.all(), List.of(), position + 1, true);
    }
  }

  /** The registry's reads, but a candidate query that fails: the scheduler must not use it. */
  private final class NoCandidateQuery implements WorkerDirectory {
    @Override
    public Optional<Worker> byId(WorkerId id) {
      return registry.byId(id);
    }

    @Override
    public Optional<Worker> byName(String name) {
      return registry.byName(name);
    }

    @Override
    public List<Worker> all() {
      return registry.all();
    }

    @Override
    public Fleet candidatesFor(ActionRequirements action) {
      throw new AssertionError("the scheduler asked the registry for candidates instead of its fleet view");
    }

    @Override
    public List<Worker> staleActive(Instant now) {
      return registry.staleActive(now);
    }
  }
}
