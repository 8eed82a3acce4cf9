package io.attune.worker.core.model.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.model.worker.Worker;
import java.time.Instant;
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
