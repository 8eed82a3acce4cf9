package io.attune.worker.core.model.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.Gpu;
import io.attune.worker.core.model.capability.Taint;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.Affinity;
import io.attune.worker.core.model.placement.requirement.AffinityTerm;
import io.attune.worker.core.model.placement.requirement.GpuRequirement;
import io.attune.worker.core.model.placement.requirement.MatchExpression;
import io.attune.worker.core.model.placement.requirement.MatchOperator;
import io.attune.worker.core.model.placement.requirement.Toleration;
import io.attune.worker.core.model.placement.requirement.TolerationOperator;
import io.attune.worker.core.model.placement.requirement.WeightedTerm;
import io.attune.worker.core.model.placement.rule.Rejection;
import io.attune.worker.core.model.placement.rule.RejectionCode;
import io.attune.worker.core.model.placement.rule.ResourceKinds;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.runtime.VersionConstraint;
import io.attune.worker.core.model.worker.Reservations;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.model.worker.WorkerType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A property over many random fleets and actions: the scheduler's fast {@code decide} and the full {@code explain}
 * agree on the outcome and, when a worker is selected, on its rank. Cases come from a fixed seed, so a failure
 * names a case that can be replayed.
 */
class DecideAgreesWithExplainTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final int CASES = 2_500;

  @Test
  void decide_and_explain_agree_on_the_outcome_and_the_rank_of_the_selected_worker() {
    Random random = new Random(7L);
    PlacementPolicy policy = PlacementPolicy.standard();
    int selected = 0;
    int waiting = 0;
    int unschedulable = 0;
    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < CASES; i++) {
      List<Worker> workers = randomFleet(random);
      ActionRequirements action = randomAction(random);

      PlacementReport explained = policy.explain(action, workers, NOW);
      PlacementDecision decided = policy.decide(action, Fleet.of(workers), NOW);

      String problem = disagreement(explained, decided);
      if (problem != null) {
        disagreements.add("case " + i + ": " + problem + "\n  action " + action + "\n  workers " + workers);
      }
      switch (explained.outcome()) {
        case SELECTED -> selected++;
        case WAIT -> waiting++;
        case UNSCHEDULABLE -> unschedulable++;
        default -> throw new IllegalStateException();
      }
    }
    assertThat(disagreements).isEmpty();
    // the generator must reach every outcome often, or the property proves little
    assertThat(selected).isGreaterThan(CASES / 10);
    assertThat(waiting).isGreaterThan(CASES / 10);
    assertThat(unschedulable).isGreaterThan(CASES / 10);
  }

  @Test
  void with_a_previous_worker_preferred_decide_and_explain_agree_and_the_eligible_previous_worker_often_wins() {
    Random random = new Random(11L);
    PlacementPolicy policy = PlacementPolicy.standard();
    int previousWon = 0;
    int previousIneligible = 0;
    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < CASES; i++) {
      List<Worker> workers = randomFleet(random);
      ActionRequirements action = randomAction(random).withPreferPreviousWorker(1 + random.nextInt(100));
      // the generator must reach a winning and an ineligible previous worker often, or the property proves little;
      // sometimes a worker of the fleet, sometimes one that is gone (an id no worker has)
      Optional<WorkerId> previous = workers.isEmpty() || random.nextInt(5) == 0 ? Optional.of(new WorkerId(99))
          : Optional.of(workers.get(random.nextInt(workers.size())).id());

      PlacementReport explained = policy.explain(action, workers, NOW, previous);
      PlacementDecision decided = policy.decide(action, Fleet.of(workers), NOW, previous);

      String problem = disagreement(explained, decided);
      if (problem != null) {
        disagreements.add("case " + i + ": " + problem + "\n  action " + action + "\n  previous " + previous
            + "\n  workers " + workers);
      }
      Optional<WorkerAssessment> marked = explained.workers().stream().filter(WorkerAssessment::previousWorker)
          .findFirst();
      if (marked.isPresent() && !marked.get().worker().id().equals(previous.orElseThrow())) {
        disagreements.add("case " + i + ": explain marks " + marked.get().worker().name() + " as previous");
      }
      if (marked.isPresent() && !marked.get().eligible()) {
        previousIneligible++;
        if (decided.selected().map(w -> w.id().equals(previous.get())).orElse(false)) {
          disagreements.add("case " + i + ": decide chose the ineligible previous worker");
        }
      }
      if (decided.selected().map(w -> w.id().equals(previous.get())).orElse(false)) {
        previousWon++;
      }
    }
    assertThat(disagreements).isEmpty();
    assertThat(previousWon).isGreaterThan(CASES / 20);
    assertThat(previousIneligible).isGreaterThan(CASES / 20);
  }

  /** What differs between the two answers, or null when they agree. */
  private static String disagreement(PlacementReport explained, PlacementDecision decided) {
    if (decided.outcome() != explained.outcome()) {
      return "decide says " + decided + ", explain says " + explained.outcome().wireName();
    }
    if (!decided.reasons().equals(reasonsOf(explained))) {
      return "decide gives the reasons " + decided.reasons() + ", explain " + reasonsOf(explained);
    }
    if (decided.selected().isEmpty()) {
      return explained.selected().isEmpty() ? null : "explain selected a worker, decide did not";
    }
    WorkerAssessment chosen = explained.assessmentOf(decided.selected().get().name()).orElseThrow();
    WorkerAssessment best = explained.assessmentOf(explained.selected().orElseThrow().name()).orElseThrow();
    if (!chosen.eligible()) {
      return "decide chose " + chosen.worker().name() + ", which explain rejects: " + chosen.rejections();
    }
    if (chosen.preferenceScore() != best.preferenceScore()
        || chosen.untoleratedSoftTaints() != best.untoleratedSoftTaints()
        || !sameLoad(chosen.worker(), best.worker())) {
      return "decide chose " + chosen.worker().name() + ", explain " + best.worker().name()
          + ", and their ranks differ";
    }
    return null;
  }

  /**
   * What the reasons of a decision must be, read off the explanation: for wait, every code of the workers that could
   * run the action later; for unschedulable, every lasting code of every worker.
   */
  private static java.util.Set<RejectionCode> reasonsOf(PlacementReport explained) {
    return switch (explained.outcome()) {
      case SELECTED -> java.util.Set.of();
      case WAIT -> explained.workers().stream().filter(WorkerAssessment::couldRunLater)
          .flatMap(a -> a.rejections().stream()).map(Rejection::code).collect(java.util.stream.Collectors.toSet());
      case UNSCHEDULABLE -> explained.workers().stream().flatMap(a -> a.rejections().stream())
          .map(Rejection::code).filter(code -> !code.isTransient()).collect(java.util.stream.Collectors.toSet());
    };
  }

  private static boolean sameLoad(Worker a, Worker b) {
    return (long) a.running() * b.capabilities().maxConcurrentExecutions()
        == (long) b.running() * a.capabilities().maxConcurrentExecutions();
  }

  /** Up to eight workers drawn from few capability profiles, so that groups with several members are common. */
  private static List<Worker> randomFleet(Random random) {
    int size = random.nextInt(9);
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      Capabilities.Builder caps = Capabilities.builder().runtime(RuntimeName.SHELL);
      if (random.nextInt(3) > 0) {
        caps.runtime(RuntimeName.PYTHON, pick(random, Version.parse("3.7.0"), Version.parse("3.11.2")));
      }
      if (random.nextBoolean()) {
        caps.runtime(RuntimeName.NODE, pick(random, Version.parse("16.20.0"), Version.parse("20.11.1")));
      }
      if (random.nextBoolean()) {
        caps.label("zone", pick(random, "east", "west"));
      }
      if (random.nextInt(4) == 0) {
        caps.label("gpu", "nvidia");
      }
      if (random.nextInt(5) == 0) {
        caps.taint(new Taint("gpu", "true", TaintEffect.NO_SCHEDULE));
      }
      if (random.nextInt(4) == 0) {
        caps.taint(new Taint("spot", "yes", TaintEffect.PREFER_NO_SCHEDULE));
      }
      int gpus = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
      for (int g = 0; g < gpus; g++) {
        caps.gpu(new Gpu("NVIDIA test", pick(random, 16_384, 81_920)));
      }
      if (random.nextInt(6) == 0) {
        caps.packs(List.of(pick(random, "demo", "ml")));
      }
      int max = pick(random, 1, 2, 4);
      caps.maxConcurrentExecutions(max);
      WorkerStatus status = random.nextInt(8) == 0 ? WorkerStatus.INACTIVE : WorkerStatus.ACTIVE;
      boolean cordoned = random.nextInt(8) == 0;
      Instant heartbeat = switch (random.nextInt(10)) {
        case 0 -> null;
        case 1 -> NOW.minusSeconds(90);
        case 2 -> NOW.minusSeconds(89);
        default -> NOW.minusSeconds(random.nextInt(60));
      };
      workers.add(new Worker(new WorkerId(i + 1), "w-" + i, WorkerType.LOCAL, "h", status, cordoned, caps.build(),
          Duration.ofSeconds(30), heartbeat, Reservations.of(Map.of(Reservations.SLOTS, random.nextInt(max + 1),
              ResourceKinds.GPUS.name(), gpus == 0 ? 0 : random.nextInt(gpus + 1)))));
    }
    return workers;
  }

  private static ActionRequirements randomAction(Random random) {
    RuntimeName runtime = pick(random, RuntimeName.SHELL, RuntimeName.PYTHON, RuntimeName.PYTHON, RuntimeName.NODE);
    VersionConstraint version = runtime.equals(RuntimeName.SHELL) || random.nextBoolean() ? VersionConstraint.any()
        : VersionConstraint.parse(pick(random, ">=3.8", "<3.9", "^20", ">=16"));
    Map<RuntimeName, VersionConstraint> required = random.nextInt(5) == 0
        ? Map.of(RuntimeName.NODE, VersionConstraint.parse(pick(random, "*", ">=18"))) : Map.of();
    Map<String, String> selector = random.nextInt(6) == 0 ? Map.of("zone", "east") : Map.of();
    List<Toleration> tolerations = new ArrayList<>();
    if (random.nextInt(3) == 0) {
      tolerations.add(new Toleration("gpu", TolerationOperator.EXISTS, "", Optional.empty()));
    }
    if (random.nextInt(3) == 0) {
      tolerations.add(new Toleration("spot", TolerationOperator.EQUAL, "yes",
          Optional.of(TaintEffect.PREFER_NO_SCHEDULE)));
    }
    List<AffinityTerm> requiredTerms = random.nextInt(6) == 0
        ? List.of(new AffinityTerm(Map.of(), List.of(new MatchExpression("zone", MatchOperator.IN,
            List.of("east", "west"))))) : List.of();
    List<WeightedTerm> preferred = new ArrayList<>();
    if (random.nextBoolean()) {
      preferred.add(new WeightedTerm(1 + random.nextInt(100), AffinityTerm.labels(Map.of("zone", "east"))));
    }
    if (random.nextInt(3) == 0) {
      preferred.add(new WeightedTerm(1 + random.nextInt(100), new AffinityTerm(Map.of(),
          List.of(new MatchExpression("gpu", MatchOperator.EXISTS, List.of())))));
    }
    List<AffinityTerm> anti = random.nextInt(8) == 0 ? List.of(AffinityTerm.labels(Map.of("zone", "west")))
        : List.of();
    GpuRequirement gpu = random.nextInt(6) == 0 ? new GpuRequirement(1 + random.nextInt(2),
        pick(random, 0, 40_000)) : GpuRequirement.NONE;
    return new ActionRequirements(ActionRef.parse(pick(random, "demo.random", "demo.random", "ml.random")), runtime,
        version, required, selector, tolerations, new Affinity(requiredTerms, preferred, anti), gpu);
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... choices) {
    return choices[random.nextInt(choices.length)];
  }
}
