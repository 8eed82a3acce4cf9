package io.attune.worker.benchmarks.placement;

import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.rule.PlacementRule;
import io.attune.worker.core.model.worker.Worker;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a straightforward scheduler would do without the fleet index: run every rule on every worker of a plain
 * list, keep the eligible ones, and take the best by preference score, then fewest soft taints, then lowest load.
 *
 * <p>Not made slow on purpose: rules stop at the first rejection, each candidate is scored once, and it uses
 * {@link PlacementRule#admits}, the cheapest verdict the rules offer.
 */
final class NaivePlacement {

  /** An eligible worker with its rank, computed once. */
  record Candidate(Worker worker, int score, int softTaints) {
    static final Comparator<Candidate> BEST_FIRST = Comparator.comparingInt(Candidate::score).reversed()
        .thenComparingInt(Candidate::softTaints)
        .thenComparingDouble(c -> c.worker().load());
  }

  private final List<PlacementRule> rules;

  NaivePlacement(List<PlacementRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The best eligible worker, empty when none is. */
  Optional<Candidate> choose(ActionRequirements action, List<Worker> workers, Instant now) {
    return workers.stream()
        .filter(worker -> rules.stream().allMatch(rule -> rule.admits(action, worker, now)))
        .map(worker -> new Candidate(worker, action.affinity().preferenceScore(worker.capabilities().labels()),
            action.untolerated(worker.capabilities().taints(), TaintEffect.PREFER_NO_SCHEDULE)))
        .min(Candidate.BEST_FIRST);
  }
}
