package io.attune.worker.core.model.placement;

import static io.attune.worker.core.testkit.ActionFixture.anAction;
import static io.attune.worker.core.testkit.WorkerFixture.aWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.rule.PlacementRule;
import io.attune.worker.core.model.placement.rule.PlacementRules;
import io.attune.worker.core.model.placement.rule.Rejection;
import io.attune.worker.core.model.placement.rule.RejectionCode;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.testkit.WorkerFixture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The policy's own rules: its two classifications of a rule must agree, or decide and explain would disagree. */
class PlacementPolicyTest {

  /** A rule whose verdict depends on the worker's load, yet claims to depend on capabilities only. */
  private static final class LoadRuleClaimingCapability implements PlacementRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.AT_CAPACITY;
    }

    @Override
    public boolean capabilityOnly() {
      return true;
    }

    @Override
    public Optional<Rejection> check(ActionRequirements action, Worker worker, Instant now) {
      return Optional.empty();
    }
  }

  /** A state rule from outside the standard list: it knows nothing of a fleet group's arrays. */
  private static final class NotNamedA implements PlacementRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.CORDONED;
    }

    @Override
    public boolean capabilityOnly() {
      return false;
    }

    @Override
    public Optional<Rejection> check(ActionRequirements action, Worker worker, Instant now) {
      return worker.name().equals("a") ? Optional.of(new Rejection(code(), "named a")) : Optional.empty();
    }
  }

  @Test
  void decide_runs_a_state_rule_from_elsewhere_on_the_members_worker() {
    List<PlacementRule> rules = new ArrayList<>(PlacementRules.standard());
    rules.add(new NotNamedA());
    PlacementPolicy policy = new PlacementPolicy(rules);
    Instant now = WorkerFixture.DEFAULT_NOW;
    Worker idleA = aWorker("a").runtimes("shell").running(0, 2).build(now);
    Worker busyB = aWorker("b").runtimes("shell").running(1, 2).build(now);
    ActionRequirements action = anAction("p.sh").build();

    assertThat(policy.decide(action, Fleet.of(List.of(idleA, busyB)), now).selected()).contains(busyB);
    assertThat(policy.decide(action, Fleet.of(List.of(idleA)), now).outcome()).isEqualTo(PlacementOutcome.WAIT);
  }

  @Test
  void every_standard_rule_is_classified_the_same_way_twice() {
    assertThat(PlacementRules.standard()).allSatisfy(rule ->
        assertThat(rule.capabilityOnly()).as(rule.getClass().getSimpleName()).isNotEqualTo(rule.code().isTransient()));
    assertThat(PlacementPolicy.standard().rules()).hasSameSizeAs(PlacementRules.standard());
  }

  @Test
  void a_rule_whose_classifications_disagree_is_refused_where_the_policy_is_built() {
    assertThatThrownBy(() -> new PlacementPolicy(List.of(new LoadRuleClaimingCapability())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("LoadRuleClaimingCapability").hasMessageContaining("capability rule")
        .hasMessageContaining("at_capacity is transient");
  }
}
