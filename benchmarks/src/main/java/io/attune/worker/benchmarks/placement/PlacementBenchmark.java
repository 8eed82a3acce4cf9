package io.attune.worker.benchmarks.placement;

import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.placement.Fleet;
import io.attune.worker.core.model.placement.PlacementDecision;
import io.attune.worker.core.model.placement.PlacementOutcome;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.placement.PlacementReport;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.testkit.WorkerFixture;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One placement decision over 10,000 workers (issue #2): {@link PlacementPolicy#decide} over a prebuilt
 * {@link Fleet}, beside two baselines on a plain list measured in the same run: a straightforward stream that runs
 * every rule on every worker ({@link NaivePlacement}), and {@link PlacementPolicy#explain}, which assesses every
 * worker against every rule.
 *
 * <p>The fleet is built once per trial, as the registry maintains it; only the decision is measured. The explain
 * baseline runs once per action, on the mixed load only: it assesses every worker whatever the load, and skipping
 * the second load keeps the whole run under three minutes. {@link #fleetOf} measures what building that index
 * costs, for a registry that rebuilds it after a change, {@link #fleetReplacing} what keeping it up to date costs
 * per heartbeat.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class PlacementBenchmark {

  /** The fleet size of issue #2. */
  static final int WORKERS = 10_000;

  private static final long SEED = 20_260_101L;
  private static final Instant NOW = WorkerFixture.DEFAULT_NOW;

  /** The scheduler's fast path over the indexed fleet. */
  @Benchmark
  public PlacementDecision decide(Placement state) {
    return state.policy.decide(state.requirements, state.fleet, NOW);
  }

  /** Baseline: filter a plain list with every rule, then take the best. */
  @Benchmark
  public Optional<NaivePlacement.Candidate> baselineStream(Placement state) {
    return state.naive.choose(state.requirements, state.workers, NOW);
  }

  /** Baseline: assess every worker against every rule, as the explanation does. */
  @Benchmark
  public PlacementReport baselineExplain(Explanation state) {
    return state.policy.explain(state.requirements, state.workers, NOW);
  }

  /** The index itself: what {@code Fleet.of} costs for the same 10,000 workers (not part of a decision). */
  @Benchmark
  public Fleet fleetOf(Roster state) {
    return Fleet.of(state.workers);
  }

  /**
   * Keeping the index up to date instead: {@code Fleet.replacing} one worker whose heartbeat arrived, as the
   * scheduler's fleet view does for every heartbeat (alternating between two workers so each call changes one).
   */
  @Benchmark
  public Fleet fleetReplacing(Roster state) {
    state.turn ^= 1;
    return state.fleet.replacing(state.heartbeats[state.turn]);
  }

  /** An action and a fleet under a load, with the policy and the straightforward baseline. */
  @State(Scope.Benchmark)
  public static class Placement {
    @Param({"PYTHON_3_10", "NODE", "SHELL_EAST", "PYTHON_PREFERS_WEST"})
    public String action;

    @Param({"MIXED", "BUSY"})
    public String load;

    final PlacementPolicy policy = PlacementPolicy.standard();
    final NaivePlacement naive = new NaivePlacement(policy.rules());
    ActionRequirements requirements;
    List<Worker> workers;
    Fleet fleet;

    /** Builds the fleet once and checks that the three ways agree on how good the chosen worker is. */
    @Setup(Level.Trial)
    public void build() {
      requirements = BenchmarkAction.valueOf(action).requirements();
      workers = BenchmarkFleet.workers(WORKERS, BenchmarkFleet.Load.valueOf(load), SEED, NOW);
      fleet = Fleet.of(workers);
      checkAgreement();
    }

    /** Ties are broken differently (round robin, encounter order, name), so compare the rank, not the worker. */
    private void checkAgreement() {
      PlacementDecision decision = policy.decide(requirements, fleet, NOW);
      Optional<NaivePlacement.Candidate> straightforward = naive.choose(requirements, workers, NOW);
      PlacementReport report = policy.explain(requirements, workers, NOW);
      if (decision.outcome() != report.outcome()
          || (decision.outcome() == PlacementOutcome.SELECTED) != straightforward.isPresent()) {
        throw new IllegalStateException(action + "/" + load + ": decide says " + decision + ", explain says "
            + report.outcome() + ", the straightforward baseline says "
            + straightforward.map(c -> c.worker().name()));
      }
      if (straightforward.isPresent()) {
        String expected = rank(straightforward.get().worker());
        for (Worker chosen : List.of(decision.selected().orElseThrow(), report.selected().orElseThrow())) {
          if (!rank(chosen).equals(expected)) {
            throw new IllegalStateException(action + "/" + load + ": " + chosen.name() + " ranks " + rank(chosen)
                + " but the best eligible worker ranks " + expected);
          }
        }
      }
      if (fleet.groupCount() > WORKERS / 100) {
        throw new IllegalStateException("the fleet has " + fleet.groupCount() + " capability groups; expected few");
      }
    }

    private String rank(Worker worker) {
      return "score " + requirements.affinity().preferenceScore(worker.capabilities().labels())
          + ", soft taints " + requirements.untolerated(worker.capabilities().taints(), TaintEffect.PREFER_NO_SCHEDULE)
          + ", load " + worker.load();
    }
  }

  /** An action and the mixed-load fleet as a plain list, for the explain baseline. */
  @State(Scope.Benchmark)
  public static class Explanation {
    @Param({"PYTHON_3_10", "NODE", "SHELL_EAST", "PYTHON_PREFERS_WEST"})
    public String action;

    final PlacementPolicy policy = PlacementPolicy.standard();
    ActionRequirements requirements;
    List<Worker> workers;

    @Setup(Level.Trial)
    public void build() {
      requirements = BenchmarkAction.valueOf(action).requirements();
      workers = BenchmarkFleet.workers(WORKERS, BenchmarkFleet.Load.MIXED, SEED, NOW);
    }
  }

  /** The mixed-load workers as a plain list and as a fleet, whatever the action, and two heartbeats to apply. */
  @State(Scope.Benchmark)
  public static class Roster {
    List<Worker> workers;
    Fleet fleet;
    Worker[] heartbeats;
    int turn;

    @Setup(Level.Trial)
    public void build() {
      workers = BenchmarkFleet.workers(WORKERS, BenchmarkFleet.Load.MIXED, SEED, NOW);
      fleet = Fleet.of(workers);
      Worker middle = workers.get(WORKERS / 2);
      heartbeats = new Worker[] {middle.withHeartbeat(NOW), middle.withHeartbeat(NOW.plusSeconds(1))};
    }
  }
}
