package io.attune.worker.bootstrap.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.config.ConfigLoader;
import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.embed.EmbeddedScheduler;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.placement.Fleet;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The scheduler role's placing parts, composed over in-memory ports: what the role decides on and places with. */
class SchedulerPlacingTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

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
    Execution execution = submitted();

    try (EmbeddedScheduler scheduler = Placing.scheduler(registry, feed, new NoCandidateQuery(), store,
        (placed, worker) -> dispatched.add(placed), clock, config(Map.of())).start()) {
      await().atMost(PATIENCE).until(() -> dispatched.size() == 1);
    }

    assertThat(dispatched).extracting(Execution::id).containsExactly(execution.id());
    assertThat(feed.snapshots.get()).isEqualTo(1);
  }

  @Test
  void the_view_staleness_and_the_sweep_concurrency_follow_the_configuration() {
    registry.register(new WorkerRegistration("w", WorkerType.LOCAL, "h",
        Capabilities.builder().runtime(RuntimeName.SHELL).maxConcurrentExecutions(3).build(),
        Duration.ofSeconds(30)), clock.instant());
    Feed feed = new Feed();
    AttuneConfig config = config(Map.of("ATTUNE_FLEET_VIEW_MAX_STALENESS_MS", "0", "ATTUNE_SWEEP_CONCURRENCY", "3"));
    for (int i = 0; i < 5; i++) {
      submitted();
    }

    try (EmbeddedScheduler scheduler = Placing.scheduler(registry, feed, new NoCandidateQuery(), store,
        (placed, worker) -> dispatched.add(placed), clock, config).start()) {
      await().atMost(PATIENCE).until(() -> dispatched.size() == 3);
    }

    assertThat(Placing.settings(config).placementConcurrency()).isEqualTo(3);
    assertThat(dispatched).extracting(Execution::id).doesNotHaveDuplicates().hasSize(3);
    // a view allowed no staleness reads the changes before each decision after the first load
    assertThat(feed.snapshots.get()).isEqualTo(1);
    assertThat(feed.sinceCalls.get()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void the_liveness_check_runs_every_half_heartbeat_and_never_more_often_than_every_half_second() {
    assertThat(Placing.livenessEvery(config(Map.of("ATTUNE_HEARTBEAT_INTERVAL_SECONDS", "10"))))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(Placing.livenessEvery(config(Map.of("ATTUNE_HEARTBEAT_INTERVAL_SECONDS", "1"))))
        .isEqualTo(Duration.ofMillis(500));
  }

  private Execution submitted() {
    return store.create(new ExecutionRequest(ActionRequirements.of("demo.x", RuntimeName.SHELL), Map.of()),
        clock.instant());
  }

  private static AttuneConfig config(Map<String, String> environment) {
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
