package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.Fixtures.NOW;
import static io.attune.worker.adapter.postgres.Fixtures.request;
import static io.attune.worker.adapter.postgres.Fixtures.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.adapter.out.memory.InProcessDispatcher;
import io.attune.worker.core.fleet.FleetView;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.Taint;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.placement.Fleet;
import io.attune.worker.core.model.placement.PlacementDecision;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.placement.PlacementReport;
import io.attune.worker.core.model.placement.WorkerAssessment;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.Affinity;
import io.attune.worker.core.model.placement.requirement.AffinityTerm;
import io.attune.worker.core.model.placement.requirement.Toleration;
import io.attune.worker.core.model.placement.requirement.TolerationOperator;
import io.attune.worker.core.model.placement.requirement.WeightedTerm;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.runtime.VersionConstraint;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.WorkerDirectory;
import io.attune.worker.core.service.ScheduleExecutionService;
import io.attune.worker.core.testkit.MutableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Scheduling on copies of the fleet over PostgreSQL: a stale copy never over-commits, and a fresh one decides right. */
class FleetViewSchedulingIT {

  private static final Duration FOREVER = Duration.ofDays(365);

  @RegisterExtension
  static final MigratedDatabase db = new MigratedDatabase("fleet_view_scheduling", 6);

  private final MutableClock clock = new MutableClock(NOW);

  /**
   * Two schedulers, each with a pool and a copy of its own that is never refreshed (not even after a lost race),
   * place many executions at once on one worker with a few slots: exactly that many are placed, the rest wait.
   */
  @Test
  void stale_copies_never_over_commit_a_worker() throws Exception {
    db.truncate();
    int slots = 5;
    int executions = 40;
    Worker target = db.adapter().registry().register(worker("only", slots, "shell"), NOW);
    List<ExecutionId> ids = new ArrayList<>();
    for (int i = 0; i < executions; i++) {
      ids.add(db.adapter().executions().create(request("demo.run", "shell"), NOW).id());
    }
    ConcurrentLinkedQueue<Execution> delivered = new ConcurrentLinkedQueue<>();
    InProcessDispatcher dispatcher = new InProcessDispatcher();
    dispatcher.subscribe(target.id(), delivered::add);
    ConcurrentLinkedQueue<Scheduling> outcomes = new ConcurrentLinkedQueue<>();
    List<PostgresAdapter> pools = List.of(PostgresAdapter.connect(settings(3)),
        PostgresAdapter.connect(settings(3)));
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<ScheduleExecutionService> schedulers = new ArrayList<>();
      for (PostgresAdapter pool : pools) {
        FleetView view = new FleetView(pool.workerChanges(), pool.directory(), clock, FOREVER, FOREVER);
        view.candidatesFor(ActionRequirements.of("demo.run", RuntimeName.SHELL)); // loaded while the worker is idle
        schedulers.add(new ScheduleExecutionService(new NeverRefreshed(view), pool.executions(), dispatcher,
            PlacementPolicy.standard(), clock, ExecutionObserver.NONE,
                AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE));
      }
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        ScheduleExecutionService scheduler = schedulers.get(t % 2);
        int first = t;
        done.add(threads.submit(() -> {
          start.await();
          for (int i = first; i < executions; i += 4) {
            outcomes.add(scheduler.schedule(ids.get(i)));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      threads.shutdownNow();
      pools.forEach(PostgresAdapter::close);
    }

    assertThat(outcomes).filteredOn(Scheduling.Dispatched.class::isInstance).hasSize(slots);
    assertThat(outcomes).filteredOn(Scheduling.Waiting.class::isInstance).hasSize(executions - slots);
    assertThat(delivered).hasSize(slots);
    assertThat(db.adapter().directory().byId(target.id()).orElseThrow().running()).isEqualTo(slots);
    try (Connection c = db.jdbc(); Statement s = c.createStatement();
        ResultSet row = s.executeQuery("SELECT count(*) FROM execution WHERE status = 'scheduled'")) {
      row.next();
      assertThat(row.getInt(1)).isEqualTo(slots);
    }
  }

  /**
   * Over rounds of random changes made by another process, the decision on the copy agrees with a full explanation
   * over every worker loaded afresh: the same outcome and, when one is selected, a worker of the best rank.
   */
  @Test
  void decisions_on_the_copy_agree_with_explain_over_freshly_loaded_workers() throws Exception {
    db.truncate();
    Random random = new Random(12);
    PlacementPolicy policy = PlacementPolicy.standard();
    FleetView view = new FleetView(db.adapter().workerChanges(), db.adapter().directory(), clock, Duration.ZERO,
        FleetView.DEFAULT_FULL_RELOAD);
    List<String> disagreements = new ArrayList<>();
    int selected = 0;
    try (PostgresAdapter other = PostgresAdapter.connect(settings(2))) {
      for (int round = 0; round < 40; round++) {
        changeRandomly(other, random);
        Instant now = clock.instant();
        for (int a = 0; a < 5; a++) {
          ActionRequirements action = randomAction(random);
          PlacementDecision decided = policy.decide(action, view.candidatesFor(action), now);
          PlacementReport explained = policy.explain(action, db.adapter().directory().all(), now);
          String problem = disagreement(explained, decided);
          if (problem != null) {
            disagreements.add("round " + round + ": " + problem);
          }
          selected += decided.selected().isPresent() ? 1 : 0;
        }
      }
    }
    assertThat(disagreements).isEmpty();
    assertThat(selected).as("the generator reaches selections").isGreaterThan(20);
  }

  private void changeRandomly(PostgresAdapter other, Random random) {
    clock.advance(Duration.ofSeconds(random.nextInt(40)));
    Instant now = clock.instant();
    for (int i = 0; i < 4; i++) {
      String name = "w-" + random.nextInt(12);
      Optional<Worker> existing = other.directory().byName(name);
      switch (random.nextInt(7)) {
        case 0, 1 -> other.registry().register(randomWorker(name, random), now);
        case 2 -> existing.ifPresent(w -> other.registry().heartbeat(w.id(), now));
        case 3 -> other.registry().setCordoned(name, random.nextInt(3) == 0);
        case 4 -> existing.ifPresent(w -> other.registry().markInactive(w.id()));
        case 5 -> existing.ifPresent(w -> other.executions().assign(
            other.executions().create(request("demo.run", "shell"), now).id(), w.id(), now));
        default -> other.registry().prune(now, Duration.ofSeconds(60));
      }
    }
  }

  private static WorkerRegistration randomWorker(String name, Random random) {
    Capabilities.Builder caps = Capabilities.builder().runtime(RuntimeName.SHELL)
        .maxConcurrentExecutions(1 + random.nextInt(3));
    if (random.nextBoolean()) {
      caps.runtime(RuntimeName.PYTHON, random.nextBoolean() ? Version.parse("3.7.0") : Version.parse("3.11.2"));
    }
    if (random.nextBoolean()) {
      caps.label("zone", random.nextBoolean() ? "east" : "west");
    }
    if (random.nextInt(5) == 0) {
      caps.taint(new Taint("gpu", "true", TaintEffect.NO_SCHEDULE));
    }
    if (random.nextInt(4) == 0) {
      caps.taint(new Taint("spot", "yes", TaintEffect.PREFER_NO_SCHEDULE));
    }
    return new WorkerRegistration(name, WorkerType.LOCAL, "h", caps.build(), Duration.ofSeconds(30));
  }

  private static ActionRequirements randomAction(Random random) {
    RuntimeName runtime = random.nextBoolean() ? RuntimeName.SHELL : RuntimeName.PYTHON;
    VersionConstraint version = runtime.equals(RuntimeName.PYTHON) && random.nextBoolean()
        ? VersionConstraint.parse(">=3.8") : VersionConstraint.any();
    Map<String, String> selector = random.nextInt(5) == 0 ? Map.of("zone", "east") : Map.of();
    List<Toleration> tolerations = random.nextInt(3) == 0
        ? List.of(new Toleration("gpu", TolerationOperator.EXISTS, "", Optional.empty())) : List.of();
    List<WeightedTerm> preferred = random.nextBoolean()
        ? List.of(new WeightedTerm(1 + random.nextInt(100), AffinityTerm.labels(Map.of("zone", "west"))))
        : List.of();
    return new ActionRequirements(ActionRef.parse("demo.random"), runtime, version, Map.of(), selector, tolerations,
        new Affinity(List.of(), preferred, List.of()));
  }

  /** Settings for another pool on the test's database, as another process would open. */
  private static PostgresSettings settings(int poolSize) throws SQLException {
    PostgresSettings admin = TestDatabase.adminSettings();
    try (Connection c = db.jdbc()) {
      return new PostgresSettings(c.getMetaData().getURL(), admin.user(), admin.password(), poolSize);
    }
  }

  /** What differs between the two answers, or null when they agree. */
  private static String disagreement(PlacementReport explained, PlacementDecision decided) {
    if (decided.outcome() != explained.outcome()) {
      return "decide says " + decided.outcome() + ", explain says " + explained.outcome();
    }
    if (decided.selected().isEmpty()) {
      return null;
    }
    WorkerAssessment chosen = explained.assessmentOf(decided.selected().get().name()).orElseThrow();
    WorkerAssessment best = explained.assessmentOf(explained.selected().orElseThrow().name()).orElseThrow();
    if (!chosen.eligible()) {
      return "decide chose " + chosen.worker().name() + ", which explain rejects: " + chosen.rejections();
    }
    boolean sameLoad = (long) chosen.worker().running() * best.worker().capabilities().maxConcurrentExecutions()
        == (long) best.worker().running() * chosen.worker().capabilities().maxConcurrentExecutions();
    if (chosen.preferenceScore() != best.preferenceScore()
        || chosen.untoleratedSoftTaints() != best.untoleratedSoftTaints() || !sameLoad) {
      return "decide chose " + chosen.worker().name() + ", explain " + best.worker().name() + ": ranks differ";
    }
    return null;
  }

  /** A copy whose owner never catches up, not even after losing a race. */
  private record NeverRefreshed(FleetView view) implements WorkerDirectory {
    @Override
    public Optional<Worker> byId(WorkerId id) {
      return view.byId(id);
    }

    @Override
    public Optional<Worker> byName(String name) {
      return view.byName(name);
    }

    @Override
    public List<Worker> all() {
      return view.all();
    }

    @Override
    public Fleet candidatesFor(ActionRequirements action) {
      return view.candidatesFor(action);
    }

    @Override
    public List<Worker> staleActive(Instant now) {
      return view.staleActive(now);
    }
  }
}
