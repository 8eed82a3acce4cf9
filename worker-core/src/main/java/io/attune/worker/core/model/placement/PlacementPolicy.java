package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

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
  private final List<PlacementRule> capabilityRules;
  private final MemberRule[] stateRules;
  private final AtomicLong roundRobin = new AtomicLong();

  /**
   * A policy with the given rules, reported in their order.
   *
   * @throws IllegalArgumentException when a rule's two classifications disagree: {@code decide} groups rules by
   *     {@link PlacementRule#capabilityOnly()}, the outcome ({@code wait} or {@code unschedulable}) follows
   *     {@link RejectionCode#isTransient()}, so a capability rule must carry a lasting code and a state rule a
   *     transient one
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
    this.capabilityRules = this.rules.stream().filter(PlacementRule::capabilityOnly).toList();
    this.stateRules = this.rules.stream().filter(r -> !r.capabilityOnly()).map(PlacementPolicy::onMembers)
        .toArray(MemberRule[]::new);
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
    Objects.requireNonNull(now, "now");
    WorkerId previous = action.prefersPreviousWorker() ? previousWorker.orElse(null) : null;
    List<RankedGroup> candidates = new ArrayList<>();
    RankedGroup previousCandidate = null;
    for (Fleet.Group group : fleet.groups()) {
      Worker representative = group.representative();
      if (admitsCapabilities(action, representative, now)) {
        var caps = representative.capabilities();
        RankedGroup ranked = new RankedGroup(group, action.affinity().preferenceScore(caps.labels()),
            action.untolerated(caps.taints(), TaintEffect.PREFER_NO_SCHEDULE));
        candidates.add(ranked);
        if (previous != null && previousCandidate == null) {
          previousCandidate = previousAlone(action, ranked, previous, now);
        }
      }
    }
    if (previousCandidate != null) {
      candidates.add(previousCandidate);
    }
    candidates.sort(RankedGroup.ORDER);
    long turn = roundRobin.getAndIncrement() & Long.MAX_VALUE;
    int tierStart = 0;
    while (tierStart < candidates.size()) {
      int tierEnd = tierStart + 1;
      while (tierEnd < candidates.size() && RankedGroup.ORDER.compare(candidates.get(tierStart),
          candidates.get(tierEnd)) == 0) {
        tierEnd++;
      }
      Worker best = leastLoadedAdmitted(action, candidates.subList(tierStart, tierEnd), now, turn);
      if (best != null) {
        return new PlacementDecision(PlacementOutcome.SELECTED, best, () -> explain(action, fleet.workers(), now, previousWorker));
      }
      tierStart = tierEnd;
    }
    PlacementOutcome outcome = candidates.isEmpty() ? PlacementOutcome.UNSCHEDULABLE : PlacementOutcome.WAIT;
    return new PlacementDecision(outcome, null, () -> explain(action, fleet.workers(), now, previousWorker));
  }

  /**
   * The previous worker as a group of its own, ranked as its group plus the preference's weight, when it is a member
   * of {@code ranked} and the state rules admit it; otherwise null.
   */
  private RankedGroup previousAlone(ActionRequirements action, RankedGroup ranked, WorkerId previous, Instant now) {
    Fleet.Group group = ranked.group();
    for (int member = 0; member < group.size(); member++) {
      if (group.member(member).id().equals(previous)) {
        return admitsState(action, group, member, now)
            ? new RankedGroup(new Fleet.Group(new Worker[] {group.member(member)}),
                ranked.score() + action.preferPreviousWorker(), ranked.softTaints())
            : null;
      }
    }
    return null;
  }

  private boolean admitsCapabilities(ActionRequirements action, Worker representative, Instant now) {
    for (PlacementRule rule : capabilityRules) {
      if (!rule.admits(action, representative, now)) {
        return false;
      }
    }
    return true;
  }

  private boolean admitsState(ActionRequirements action, Fleet.Group group, int member, Instant now) {
    for (MemberRule rule : stateRules) {
      if (!rule.admits(action, group, member, now)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The admitted worker with the lowest load. The tier's workers are scanned as one ring (group by group, member
   * by member) from a start that moves by one on every call, so that equally loaded workers take turns. The scan
   * reads the groups' arrays and loads no worker but the one chosen.
   */
  private Worker leastLoadedAdmitted(ActionRequirements action, List<RankedGroup> tier, Instant now, long turn) {
    int total = 0;
    for (RankedGroup ranked : tier) {
      total += ranked.group().size();
    }
    int at = 0; // the position in the tier of the group being scanned
    int member = (int) (turn % total);
    while (member >= tier.get(at).group().size()) {
      member -= tier.get(at).group().size();
      at++;
    }
    Fleet.Group group = tier.get(at).group();
    Fleet.Group bestGroup = null;
    int best = -1;
    for (int seen = 0; seen < total; seen++) {
      if ((bestGroup == null || lessLoaded(group, member, bestGroup, best))
          && admitsState(action, group, member, now)) {
        bestGroup = group;
        best = member;
        if (group.running(member) == 0) {
          break; // nothing beats an idle worker
        }
      }
      if (++member == group.size()) {
        member = 0;
        at = (at + 1) % tier.size();
        group = tier.get(at).group();
      }
    }
    return bestGroup == null ? null : bestGroup.member(best);
  }

  private static boolean lessLoaded(Fleet.Group group, int member, Fleet.Group other, int otherMember) {
    return compareLoad(group.running(member), group.max(), other.running(otherMember), other.max()) < 0;
  }

  /** Compares running/max without floating point, so equal loads are really equal. */
  static int compareLoad(Worker a, Worker b) {
    return compareLoad(a.running(), a.capabilities().maxConcurrentExecutions(), b.running(),
        b.capabilities().maxConcurrentExecutions());
  }

  private static int compareLoad(int runningA, int maxA, int runningB, int maxB) {
    return Long.compare((long) runningA * maxB, (long) runningB * maxA);
  }

  /** A state rule as the decision runs it: on a member of a fleet group. */
  @FunctionalInterface
  private interface MemberRule {
    boolean admits(ActionRequirements action, Fleet.Group group, int member, Instant now);
  }

  /** The standard state rules read the group's arrays; a rule from elsewhere is given the member's worker. */
  private static MemberRule onMembers(PlacementRule rule) {
    if (rule instanceof PlacementRules.StateRule stateRule) {
      return stateRule::admits;
    }
    return (action, group, member, now) -> rule.admits(action, group.member(member), now);
  }

  private record RankedGroup(Fleet.Group group, int score, int softTaints) {
    static final Comparator<RankedGroup> ORDER = Comparator.comparingInt(RankedGroup::score).reversed()
        .thenComparingInt(RankedGroup::softTaints);
  }
}
