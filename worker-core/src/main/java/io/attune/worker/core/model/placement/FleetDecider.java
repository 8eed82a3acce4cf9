package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.rule.PlacementRule;
import io.attune.worker.core.model.placement.rule.RejectionCode;
import io.attune.worker.core.model.placement.rule.StateRule;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * {@link PlacementPolicy#decide}: decides quickly over an indexed fleet. Capability rules run once per capability
 * group, state rules once per member of the best-ranked groups only, read through one {@link FleetGroup.Cursor} per
 * decision, so that the scan allocates nothing and loads no worker but the one chosen. Thread-safe.
 */
final class FleetDecider {

  private final PlacementPolicy policy;
  private final List<PlacementRule> capabilityRules;
  private final MemberRule[] stateRules;
  /** The code of each of {@link #stateRules}, at the same index. */
  private final RejectionCode[] stateCodes;
  private final AtomicLong roundRobin = new AtomicLong();

  /** A decider with the policy's rules; the policy explains its decisions. */
  FleetDecider(PlacementPolicy policy, List<PlacementRule> rules) {
    this.policy = policy;
    this.capabilityRules = rules.stream().filter(PlacementRule::capabilityOnly).toList();
    this.stateRules = rules.stream().filter(r -> !r.capabilityOnly()).map(FleetDecider::onMembers)
        .toArray(MemberRule[]::new);
    this.stateCodes = rules.stream().filter(r -> !r.capabilityOnly()).map(PlacementRule::code)
        .toArray(RejectionCode[]::new);
  }

  /** See {@link PlacementPolicy#decide(ActionRequirements, Fleet, Instant, Optional)}. */
  PlacementDecision decide(ActionRequirements action, Fleet fleet, Instant now, Optional<WorkerId> previousWorker) {
    Objects.requireNonNull(now, "now");
    WorkerId previous = action.prefersPreviousWorker() ? previousWorker.orElse(null) : null;
    List<RankedGroup> candidates = new ArrayList<>();
    FleetGroup.Cursor cursor = new FleetGroup.Cursor();
    RankedGroup previousCandidate = null;
    for (FleetGroup group : fleet.groups()) {
      Worker representative = group.representative();
      if (admitsCapabilities(action, representative, now)) {
        var caps = representative.capabilities();
        RankedGroup ranked = new RankedGroup(group, action.affinity().preferenceScore(caps.labels()),
            action.untolerated(caps.taints(), TaintEffect.PREFER_NO_SCHEDULE));
        candidates.add(ranked);
        if (previous != null && previousCandidate == null) {
          previousCandidate = previousAlone(action, ranked, previous, cursor, now);
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
      Worker best = leastLoadedAdmitted(action, candidates.subList(tierStart, tierEnd), cursor, now, turn);
      if (best != null) {
        return new PlacementDecision(PlacementOutcome.SELECTED, best, explanation(action, fleet, now, previousWorker),
            Set::of);
      }
      tierStart = tierEnd;
    }
    if (candidates.isEmpty()) {
      return new PlacementDecision(PlacementOutcome.UNSCHEDULABLE, null,
          explanation(action, fleet, now, previousWorker), () -> lastingReasons(action, fleet, now));
    }
    return new PlacementDecision(PlacementOutcome.WAIT, null,
        explanation(action, fleet, now, previousWorker), () -> transientReasons(action, candidates, now));
  }

  /** The policy's explanation of the decision, written only when asked for. */
  private Supplier<PlacementReport> explanation(ActionRequirements action, Fleet fleet, Instant now,
      Optional<WorkerId> previousWorker) {
    return () -> policy.explain(action, fleet.workers(), now, previousWorker);
  }

  /** The capability codes that rule out each group: one check per group, as the decision made. */
  private Set<RejectionCode> lastingReasons(ActionRequirements action, Fleet fleet, Instant now) {
    Set<RejectionCode> codes = EnumSet.noneOf(RejectionCode.class);
    for (FleetGroup group : fleet.groups()) {
      for (PlacementRule rule : capabilityRules) {
        if (!rule.admits(action, group.representative(), now)) {
          codes.add(rule.code());
        }
      }
    }
    return Set.copyOf(codes);
  }

  /** The state codes that hold back each member of the groups whose capabilities admit the action. */
  private Set<RejectionCode> transientReasons(ActionRequirements action, List<RankedGroup> candidates, Instant now) {
    Set<RejectionCode> codes = EnumSet.noneOf(RejectionCode.class);
    FleetGroup.Cursor cursor = new FleetGroup.Cursor();
    for (RankedGroup ranked : candidates) {
      for (int member = 0; member < ranked.group().size(); member++) {
        cursor.at(ranked.group(), member);
        for (int rule = 0; rule < stateRules.length; rule++) {
          if (!stateRules[rule].admits(action, cursor, now)) {
            codes.add(stateCodes[rule]);
          }
        }
      }
    }
    return Set.copyOf(codes);
  }

  /**
   * The previous worker as a group of its own, ranked as its group plus the preference's weight, when it is a member
   * of {@code ranked} and the state rules admit it; otherwise null.
   */
  private RankedGroup previousAlone(ActionRequirements action, RankedGroup ranked, WorkerId previous,
      FleetGroup.Cursor cursor, Instant now) {
    FleetGroup group = ranked.group();
    for (int member = 0; member < group.size(); member++) {
      if (group.member(member).id().equals(previous)) {
        return admitsState(action, cursor.at(group, member), now)
            ? new RankedGroup(new FleetGroup(new Worker[] {group.member(member)}),
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

  /** Whether every state rule admits the member the cursor points at. */
  private boolean admitsState(ActionRequirements action, FleetGroup.Cursor member, Instant now) {
    for (MemberRule rule : stateRules) {
      if (!rule.admits(action, member, now)) {
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
  private Worker leastLoadedAdmitted(ActionRequirements action, List<RankedGroup> tier, FleetGroup.Cursor cursor,
      Instant now, long turn) {
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
    FleetGroup group = tier.get(at).group();
    FleetGroup bestGroup = null;
    int best = -1;
    for (int seen = 0; seen < total; seen++) {
      if ((bestGroup == null || lessLoaded(group, member, bestGroup, best))
          && admitsState(action, cursor.at(group, member), now)) {
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

  private static boolean lessLoaded(FleetGroup group, int member, FleetGroup other, int otherMember) {
    return compareLoad(group.running(member), group.max(), other.running(otherMember), other.max()) < 0;
  }

  /** Compares running/max without floating point, so equal loads are really equal. */
  static int compareLoad(int runningA, int maxA, int runningB, int maxB) {
    return Long.compare((long) runningA * maxB, (long) runningB * maxA);
  }

  /** A state rule as the decision runs it: on the member of a fleet group that a cursor points at. */
  @FunctionalInterface
  private interface MemberRule {
    boolean admits(ActionRequirements action, FleetGroup.Cursor member, Instant now);
  }

  /** The standard state rules read the member's load from the group's arrays; a rule from elsewhere its worker. */
  private static MemberRule onMembers(PlacementRule rule) {
    if (rule instanceof StateRule stateRule) {
      return (action, member, now) -> stateRule.admits(action, member, now);
    }
    return (action, member, now) -> rule.admits(action, member.worker(), now);
  }

  private record RankedGroup(FleetGroup group, int score, int softTaints) {
    static final Comparator<RankedGroup> ORDER = Comparator.comparingInt(RankedGroup::score).reversed()
        .thenComparingInt(RankedGroup::softTaints);
  }
}
