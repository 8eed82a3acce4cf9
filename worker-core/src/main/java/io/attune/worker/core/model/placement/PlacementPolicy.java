package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.rule.PlacementRule;
import io.attune.worker.core.model.placement.rule.PlacementRules;
import io.attune.worker.core.model.placement.rule.Rejection;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Places an action on a worker with an ordered list of rules.
 *
 * <p>Among eligible workers the highest preferred-affinity score wins, then the fewest untolerated
 * {@code prefer_no_schedule} taints, then the lowest load; {@link #decide} breaks the remaining tie round-robin,
 * {@link #explain} by name. An action with {@code prefer_previous_worker} adds its weight to the preferred-affinity
 * score of the worker that last ran it successfully, when that worker is eligible; it never makes an ineligible
 * worker eligible. Thread-safe.
 */
public final class PlacementPolicy {

  private static final Comparator<WorkerAssessment> RANKING = Comparator
      .comparingInt(WorkerAssessment::preferenceScore).reversed()
      .thenComparingInt(WorkerAssessment::untoleratedSoftTaints)
      .thenComparing((a, b) -> compareLoad(a.worker(), b.worker()))
      .thenComparing(a -> a.worker().name());

  private final List<PlacementRule> rules;
  private final FleetDecider decider;

  /**
   * A policy with the given rules, reported in their order.
   *
   * @throws IllegalArgumentException when a rule's two classifications disagree: {@code decide} groups rules by
   *     {@link PlacementRule#capabilityOnly()}, the outcome ({@code wait} or {@code unschedulable}) follows
   *     {@link io.attune.worker.core.model.placement.rule.RejectionCode#isTransient()}, so a capability rule must
   *     carry a lasting code and a state rule a transient one
   */
  public PlacementPolicy(List<PlacementRule> rules) {
    for (PlacementRule rule : rules) {
      if (rule.capabilityOnly() == rule.code().isTransient()) {
        throw new IllegalArgumentException("placement rule " + rule.getClass().getSimpleName() + " is "
            + (rule.capabilityOnly() ? "a capability rule" : "a state rule") + " but its code "
            + rule.code().wireName() + " is " + (rule.code().isTransient() ? "transient" : "lasting")
            + ": expected a capability rule to reject with a lasting code and a state rule with a transient one");
      }
    }
    this.rules = List.copyOf(rules);
    this.decider = new FleetDecider(this, this.rules);
  }

  /** The policy with every standard rule. */
  public static PlacementPolicy standard() {
    return new PlacementPolicy(PlacementRules.standard());
  }

  public List<PlacementRule> rules() {
    return rules;
  }

  /** Checks one worker against every rule. */
  public WorkerAssessment assess(ActionRequirements action, Worker worker, Instant now) {
    return assess(action, worker, now, false);
  }

  /**
   * Checks one worker against every rule; when the action prefers its previous worker and this is it, the
   * preference's weight is added to the worker's score.
   */
  public WorkerAssessment assess(ActionRequirements action, Worker worker, Instant now, boolean previousWorker) {
    List<Rejection> rejections = new ArrayList<>();
    for (PlacementRule rule : rules) {
      rule.check(action, worker, now).ifPresent(rejections::add);
    }
    boolean preferred = previousWorker && action.prefersPreviousWorker();
    return new WorkerAssessment(worker, rejections,
        action.affinity().preferenceScore(worker.capabilities().labels())
            + (preferred ? action.preferPreviousWorker() : 0),
        action.untolerated(worker.capabilities().taints(), TaintEffect.PREFER_NO_SCHEDULE), preferred);
  }

  /**
   * Assesses every worker against every rule and picks the best eligible one, breaking the last tie by name.
   * The report lists workers by name.
   */
  public PlacementReport explain(ActionRequirements action, Collection<Worker> workers, Instant now) {
    return explain(action, workers, now, Optional.empty());
  }

  /**
   * Like {@link #explain(ActionRequirements, Collection, Instant)}, knowing the worker that last ran the action
   * successfully: if the action prefers it, that worker's score includes the preference's weight.
   */
  public PlacementReport explain(ActionRequirements action, Collection<Worker> workers, Instant now,
      Optional<WorkerId> previousWorker) {
    Objects.requireNonNull(now, "now");
    WorkerId previous = action.prefersPreviousWorker() ? previousWorker.orElse(null) : null;
    List<WorkerAssessment> assessments = workers.stream()
        .sorted(Comparator.comparing(Worker::name))
        .map(worker -> assess(action, worker, now, worker.id().equals(previous)))
        .toList();
    Optional<Worker> best = assessments.stream()
        .filter(WorkerAssessment::eligible)
        .min(RANKING)
        .map(WorkerAssessment::worker);
    PlacementOutcome outcome = best.isPresent() ? PlacementOutcome.SELECTED
        : assessments.stream().anyMatch(WorkerAssessment::couldRunLater) ? PlacementOutcome.WAIT
        : PlacementOutcome.UNSCHEDULABLE;
    return new PlacementReport(action.actionRef(), outcome, best, assessments);
  }

  /**
   * Decides quickly over an indexed fleet: capability rules run once per capability group, state rules once per
   * worker of the best-ranked groups only. Ties among equally ranked workers rotate from one call to the next.
   */
  public PlacementDecision decide(ActionRequirements action, Fleet fleet, Instant now) {
    return decide(action, fleet, now, Optional.empty());
  }

  /**
   * Like {@link #decide(ActionRequirements, Fleet, Instant)}, knowing the worker that last ran the action
   * successfully. If the action prefers it and that worker is admitted by every rule, it becomes a candidate of its
   * own, ranked as its group with the preference's weight added; it stays a member of its group too, where it can
   * only be reached when it was not admitted (a tier holding an admitted worker always selects one). An action
   * without the preference pays nothing for it.
   */
  public PlacementDecision decide(ActionRequirements action, Fleet fleet, Instant now,
      Optional<WorkerId> previousWorker) {
    return decider.decide(action, fleet, now, previousWorker);
  }

  /** Compares running/max without floating point, so equal loads are really equal. */
  static int compareLoad(Worker a, Worker b) {
    return FleetDecider.compareLoad(a.running(), a.capabilities().maxConcurrentExecutions(), b.running(),
        b.capabilities().maxConcurrentExecutions());
  }
}
