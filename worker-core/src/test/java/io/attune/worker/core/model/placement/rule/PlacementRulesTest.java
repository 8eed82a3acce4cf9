package io.attune.worker.core.model.placement.rule;

import static io.attune.worker.core.model.placement.rule.RejectionCode.AFFINITY;
import static io.attune.worker.core.model.placement.rule.RejectionCode.ANTI_AFFINITY;
import static io.attune.worker.core.model.placement.rule.RejectionCode.AT_CAPACITY;
import static io.attune.worker.core.model.placement.rule.RejectionCode.CORDONED;
import static io.attune.worker.core.model.placement.rule.RejectionCode.GPU;
import static io.attune.worker.core.model.placement.rule.RejectionCode.GPU_BUSY;
import static io.attune.worker.core.model.placement.rule.RejectionCode.HEARTBEAT_STALE;
import static io.attune.worker.core.model.placement.rule.RejectionCode.INACTIVE;
import static io.attune.worker.core.model.placement.rule.RejectionCode.PACK_NOT_SERVED;
import static io.attune.worker.core.model.placement.rule.RejectionCode.REQUIRED_RUNTIME;
import static io.attune.worker.core.model.placement.rule.RejectionCode.RUNTIME_MISSING;
import static io.attune.worker.core.model.placement.rule.RejectionCode.RUNTIME_VERSION;
import static io.attune.worker.core.model.placement.rule.RejectionCode.SELECTOR;
import static io.attune.worker.core.model.placement.rule.RejectionCode.TAINT;
import static io.attune.worker.core.testkit.ActionFixture.anAction;
import static io.attune.worker.core.testkit.PlacementScenario.given;
import static io.attune.worker.core.testkit.WorkerFixture.aWorker;
import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.placement.PlacementOutcome;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.Affinity;
import io.attune.worker.core.model.placement.requirement.AffinityTerm;
import io.attune.worker.core.model.placement.requirement.MatchExpression;
import io.attune.worker.core.model.placement.requirement.MatchOperator;
import io.attune.worker.core.model.placement.requirement.Toleration;
import io.attune.worker.core.model.placement.requirement.TolerationOperator;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.VersionConstraint;
import io.attune.worker.core.testkit.PlacementScenario;
import io.attune.worker.core.testkit.WorkerFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each placement rule alone, then several at once. */
class PlacementRulesTest {

  private static PlacementScenario.Result placeOn(WorkerFixture worker, ActionRequirements action) {
    return given(worker).place(action);
  }

  private static ActionRequirements withAffinity(Affinity affinity) {
    return new ActionRequirements(ActionRef.parse("demo.placed"), RuntimeName.SHELL, VersionConstraint.any(),
        Map.of(), Map.of(), List.of(), affinity);
  }

  private static ActionRequirements requiring(MatchExpression expression) {
    return withAffinity(new Affinity(List.of(new AffinityTerm(Map.of(), List.of(expression))), List.of(),
        List.of()));
  }

  private static ActionRequirements tolerating(Toleration toleration) {
    return new ActionRequirements(ActionRef.parse("demo.placed"), RuntimeName.SHELL, VersionConstraint.any(),
        Map.of(), Map.of(), List.of(toleration), Affinity.none());
  }

  @Nested
  class RuntimeMissing {
    @Test
    void a_worker_without_the_runtime_is_rejected_and_told_what_it_offers() {
      var result = given(aWorker("sh").runtimes("shell", "native")).place(anAction("demo.hello").runtime("python"));

      assertThat(result.rejectionCodes("sh")).containsExactly(RUNTIME_MISSING);
      assertThat(result.rejections("sh").get(0).detail())
          .isEqualTo("does not offer runtime python (offers native, shell)");
    }

    @Test
    void runtimes_are_compared_after_canonicalising_aliases() {
      var result = given(aWorker("py").runtimes("shell", "python3")).place(anAction("demo.hello").runtime("python"));

      assertThat(result.selectedName()).contains("py");
    }

    @Test
    void a_missing_runtime_is_not_also_reported_as_a_version_problem() {
      var result = given(aWorker("sh").runtimes("shell"))
          .place(anAction("demo.hello").runtime("python").version(">=3.8"));

      assertThat(result.rejectionCodes("sh")).containsExactly(RUNTIME_MISSING);
    }
  }

  @Nested
  class RuntimeVersion {
    @Test
    void a_worker_whose_versions_all_miss_the_constraint_is_rejected() {
      var result = given(aWorker("py").runtime("python", "3.7.0", "3.6.9"))
          .place(anAction("demo.hello").runtime("python").version(">=3.8"));

      assertThat(result.rejectionCodes("py")).containsExactly(RUNTIME_VERSION);
      assertThat(result.rejections("py").get(0).detail()).isEqualTo("python 3.6.9, 3.7.0 does not satisfy >=3.8");
    }

    @Test
    void a_worker_that_advertises_no_version_is_rejected_for_a_version_constraint() {
      var result = given(aWorker("py").runtimes("python"))
          .place(anAction("demo.hello").runtime("python").version(">=3.8"));

      assertThat(result.rejectionCodes("py")).containsExactly(RUNTIME_VERSION);
      assertThat(result.rejections("py").get(0).detail()).isEqualTo("advertises no version of python, needs >=3.8");
    }

    @Test
    void one_satisfying_version_among_several_is_enough() {
      var result = given(aWorker("py").runtime("python", "3.7.0", "3.11.2"))
          .place(anAction("demo.hello").runtime("python").version(">=3.8,<4"));

      assertThat(result.selectedName()).contains("py");
    }

    @Test
    void without_a_constraint_a_worker_without_versions_is_fine() {
      var result = given(aWorker("py").runtimes("python")).place(anAction("demo.hello").runtime("python"));

      assertThat(result.selectedName()).contains("py");
    }
  }

  @Nested
  class RequiredRuntime {
    @Test
    void a_worker_lacking_a_required_runtime_is_rejected() {
      var result = given(aWorker("py").runtime("python", "3.11.2"))
          .place(anAction("demo.build").runtime("python").requires("node", ">=18"));

      assertThat(result.rejectionCodes("py")).containsExactly(REQUIRED_RUNTIME);
      assertThat(result.rejections("py").get(0).detail()).isEqualTo("does not offer required runtime node");
    }

    @Test
    void a_required_runtime_of_the_wrong_version_is_rejected() {
      var result = given(aWorker("both").runtime("python", "3.11.2").runtime("node", "16.20.0"))
          .place(anAction("demo.build").runtime("python").requires("nodejs", ">=18"));

      assertThat(result.rejectionCodes("both")).containsExactly(REQUIRED_RUNTIME);
      assertThat(result.rejections("both").get(0).detail()).isEqualTo("node 16.20.0 does not satisfy >=18");
    }

    @Test
    void a_required_runtime_without_advertised_version_fails_a_constraint_but_not_any() {
      var constrained = given(aWorker("both").runtimes("python", "node"))
          .place(anAction("demo.build").runtime("python").requires("node", ">=18"));
      var any = given(aWorker("both").runtimes("python", "node"))
          .place(anAction("demo.build").runtime("python").requires("node", "*"));

      assertThat(constrained.rejections("both").get(0).detail()).contains("advertises no version of node");
      assertThat(any.selectedName()).contains("both");
    }

    @Test
    void every_missing_required_runtime_is_listed_in_one_rejection() {
      var result = given(aWorker("py").runtimes("python"))
          .place(anAction("demo.build").runtime("python").requires("node", "*").requires("go", "*"));

      assertThat(result.rejectionCodes("py")).containsExactly(REQUIRED_RUNTIME);
      assertThat(result.rejections("py").get(0).detail()).contains("node").contains("go");
    }
  }

  @Nested
  class WorkerState {
    @Test
    void an_inactive_worker_is_rejected() {
      var result = placeOn(aWorker("w").runtimes("shell").inactive(), anAction("demo.x").build());

      assertThat(result.rejectionCodes("w")).containsExactly(INACTIVE);
      assertThat(result.rejections("w").get(0).detail()).isEqualTo("status is inactive");
    }

    @Test
    void a_cordoned_worker_is_rejected() {
      var result = placeOn(aWorker("w").runtimes("shell").cordoned(), anAction("demo.x").build());

      assertThat(result.rejectionCodes("w")).containsExactly(CORDONED);
    }

    @Test
    void a_heartbeat_three_intervals_old_is_stale() {
      var result = placeOn(aWorker("w").runtimes("shell").heartbeatAgo(Duration.ofSeconds(90)),
          anAction("demo.x").build());

      assertThat(result.rejectionCodes("w")).containsExactly(HEARTBEAT_STALE);
      assertThat(result.rejections("w").get(0).detail())
          .isEqualTo("last heartbeat 90s ago, stale from 90s (3 x 30s)");
    }

    @Test
    void a_heartbeat_one_millisecond_younger_is_fresh() {
      var result = placeOn(aWorker("w").runtimes("shell").heartbeatAgo(Duration.ofSeconds(90).minusMillis(1)),
          anAction("demo.x").build());

      assertThat(result.selectedName()).contains("w");
    }

    @Test
    void the_heartbeat_limit_follows_the_worker_s_interval() {
      var result = placeOn(aWorker("w").runtimes("shell").heartbeatInterval(Duration.ofSeconds(10))
          .heartbeatAgo(Duration.ofSeconds(30)), anAction("demo.x").build());

      assertThat(result.rejectionCodes("w")).containsExactly(HEARTBEAT_STALE);
    }

    @Test
    void a_worker_that_never_heartbeated_is_stale() {
      var result = placeOn(aWorker("w").runtimes("shell").neverHeartbeat(), anAction("demo.x").build());

      assertThat(result.rejectionCodes("w")).containsExactly(HEARTBEAT_STALE);
      assertThat(result.rejections("w").get(0).detail()).isEqualTo("has never sent a heartbeat");
    }

    @Test
    void a_full_worker_is_at_capacity() {
      var result = placeOn(aWorker("w").runtimes("shell").running(10, 10), anAction("demo.x").build());

      assertThat(result.rejectionCodes("w")).containsExactly(AT_CAPACITY);
      assertThat(result.rejections("w").get(0).detail()).isEqualTo("running 10 of 10");
    }

    @Test
    void one_free_slot_is_enough() {
      assertThat(placeOn(aWorker("w").runtimes("shell").running(9, 10), anAction("demo.x").build()).selectedName())
          .contains("w");
    }
  }

  @Nested
  class Selector {
    @Test
    void a_missing_label_is_rejected() {
      var result = placeOn(aWorker("w").runtimes("shell"), anAction("demo.x").selector("gpu", "nvidia").build());

      assertThat(result.rejectionCodes("w")).containsExactly(SELECTOR);
      assertThat(result.rejections("w").get(0).detail()).isEqualTo("label gpu is missing (wanted nvidia)");
    }

    @Test
    void a_different_label_value_is_rejected() {
      var result = placeOn(aWorker("w").runtimes("shell").label("gpu", "amd"),
          anAction("demo.x").selector("gpu", "nvidia").build());

      assertThat(result.rejectionCodes("w")).containsExactly(SELECTOR);
      assertThat(result.rejections("w").get(0).detail()).isEqualTo("label gpu=amd, wanted nvidia");
    }

    @Test
    void every_selector_label_must_match() {
      var partly = placeOn(aWorker("w").runtimes("shell").label("gpu", "nvidia"),
          anAction("demo.x").selector("gpu", "nvidia").selector("zone", "east").build());
      var fully = placeOn(aWorker("w").runtimes("shell").label("gpu", "nvidia").label("zone", "east"),
          anAction("demo.x").selector("gpu", "nvidia").selector("zone", "east").build());

      assertThat(partly.rejectionCodes("w")).containsExactly(SELECTOR);
      assertThat(fully.selectedName()).contains("w");
    }
  }

  @Nested
  class Taints {
    @Test
    void an_untolerated_no_schedule_taint_is_rejected() {
      var result = placeOn(aWorker("w").runtimes("shell").taint("gpu", "true"), anAction("demo.x").build());

      assertThat(result.rejectionCodes("w")).containsExactly(TAINT);
      assertThat(result.rejections("w").get(0).detail())
          .isEqualTo("has taint gpu=true:no_schedule that the action does not tolerate");
    }

    @Test
    void an_equal_toleration_with_the_same_value_tolerates_it() {
      var result = placeOn(aWorker("w").runtimes("shell").taint("gpu", "true"),
          anAction("demo.x").tolerates("gpu", "true").build());

      assertThat(result.selectedName()).contains("w");
    }

    @Test
    void an_equal_toleration_with_another_value_does_not() {
      var result = placeOn(aWorker("w").runtimes("shell").taint("gpu", "true"),
          anAction("demo.x").tolerates("gpu", "false").build());

      assertThat(result.rejectionCodes("w")).containsExactly(TAINT);
    }

    @Test
    void an_exists_toleration_ignores_the_value() {
      var result = placeOn(aWorker("w").runtimes("shell").taint("gpu", "anything"),
          anAction("demo.x").toleratesKey("gpu", TaintEffect.NO_SCHEDULE).build());

      assertThat(result.selectedName()).contains("w");
    }

    @Test
    void a_toleration_for_another_effect_does_not_tolerate_no_schedule() {
      var result = placeOn(aWorker("w").runtimes("shell").taint("gpu", "true"),
          anAction("demo.x").toleratesKey("gpu", TaintEffect.PREFER_NO_SCHEDULE).build());

      assertThat(result.rejectionCodes("w")).containsExactly(TAINT);
    }

    @Test
    void a_toleration_for_another_key_does_not_tolerate_it() {
      var result = placeOn(aWorker("w").runtimes("shell").taint("gpu", "true"),
          anAction("demo.x").toleratesKey("spot", TaintEffect.NO_SCHEDULE).build());

      assertThat(result.rejectionCodes("w")).containsExactly(TAINT);
    }

    @Test
    void an_exists_toleration_without_key_tolerates_every_taint() {
      var result = placeOn(aWorker("w").runtimes("shell").taint("gpu", "true").taint("spot", "yes"),
          tolerating(new Toleration("", TolerationOperator.EXISTS, "", Optional.empty())));

      assertThat(result.selectedName()).contains("w");
    }

    @Test
    void every_untolerated_taint_is_named() {
      var result = placeOn(aWorker("w").runtimes("shell").taint("gpu", "true").taint("spot", "yes"),
          anAction("demo.x").tolerates("gpu", "true").build());
      var none = placeOn(aWorker("w").runtimes("shell").taint("gpu", "true").taint("spot", "yes"),
          anAction("demo.x").build());

      assertThat(result.rejections("w").get(0).detail()).contains("spot=yes").doesNotContain("gpu");
      assertThat(none.rejections("w").get(0).detail()).contains("gpu=true:no_schedule, spot=yes:no_schedule");
    }

    @Test
    void a_prefer_no_schedule_taint_never_rejects() {
      var result = placeOn(aWorker("w").runtimes("shell").taint("spot", "yes", TaintEffect.PREFER_NO_SCHEDULE),
          anAction("demo.x").build());

      assertThat(result.selectedName()).contains("w");
    }
  }

  @Nested
  class RequiredAffinity {
    @Test
    void a_worker_matching_no_required_term_is_rejected() {
      var result = placeOn(aWorker("w").runtimes("shell").label("zone", "west"),
          anAction("demo.x").requiresLabel("zone", "east").build());

      assertThat(result.rejectionCodes("w")).containsExactly(AFFINITY);
      assertThat(result.rejections("w").get(0).detail())
          .isEqualTo("labels {zone=west} match none of the required terms {zone=east}");
    }

    @Test
    void one_matching_term_of_several_is_enough() {
      var result = placeOn(aWorker("w").runtimes("shell").label("zone", "west"),
          anAction("demo.x").requiresLabel("zone", "east").requiresLabel("zone", "west").build());

      assertThat(result.selectedName()).contains("w");
    }

    @Test
    void in_matches_one_of_the_values_and_not_a_missing_label() {
      ActionRequirements action = requiring(new MatchExpression("zone", MatchOperator.IN, List.of("east", "west")));

      assertThat(placeOn(aWorker("w").runtimes("shell").label("zone", "west"), action).selectedName()).contains("w");
      assertThat(placeOn(aWorker("w").runtimes("shell").label("zone", "north"), action).rejectionCodes("w"))
          .containsExactly(AFFINITY);
      assertThat(placeOn(aWorker("w").runtimes("shell"), action).rejectionCodes("w")).containsExactly(AFFINITY);
    }

    @Test
    void not_in_rejects_the_values_and_accepts_a_missing_label() {
      ActionRequirements action = requiring(new MatchExpression("zone", MatchOperator.NOT_IN, List.of("east")));

      assertThat(placeOn(aWorker("w").runtimes("shell").label("zone", "east"), action).rejectionCodes("w"))
          .containsExactly(AFFINITY);
      assertThat(placeOn(aWorker("w").runtimes("shell").label("zone", "west"), action).selectedName()).contains("w");
      assertThat(placeOn(aWorker("w").runtimes("shell"), action).selectedName()).contains("w");
    }

    @Test
    void exists_needs_the_label_whatever_its_value() {
      ActionRequirements action = requiring(new MatchExpression("gpu", MatchOperator.EXISTS, List.of()));

      assertThat(placeOn(aWorker("w").runtimes("shell").label("gpu", ""), action).selectedName()).contains("w");
      assertThat(placeOn(aWorker("w").runtimes("shell"), action).rejectionCodes("w")).containsExactly(AFFINITY);
    }

    @Test
    void does_not_exist_needs_the_label_absent() {
      ActionRequirements action = requiring(new MatchExpression("gpu", MatchOperator.DOES_NOT_EXIST, List.of()));

      assertThat(placeOn(aWorker("w").runtimes("shell"), action).selectedName()).contains("w");
      assertThat(placeOn(aWorker("w").runtimes("shell").label("gpu", "nvidia"), action).rejectionCodes("w"))
          .containsExactly(AFFINITY);
    }

    @Test
    void within_one_term_every_label_and_expression_must_hold() {
      ActionRequirements action = withAffinity(new Affinity(List.of(new AffinityTerm(Map.of("zone", "east"),
          List.of(new MatchExpression("gpu", MatchOperator.EXISTS, List.of())))), List.of(), List.of()));

      assertThat(placeOn(aWorker("w").runtimes("shell").label("zone", "east"), action).rejectionCodes("w"))
          .containsExactly(AFFINITY);
      assertThat(placeOn(aWorker("w").runtimes("shell").label("zone", "east").label("gpu", "x"), action)
          .selectedName()).contains("w");
    }

    @Test
    void preferred_terms_alone_never_reject() {
      var result = placeOn(aWorker("w").runtimes("shell"), anAction("demo.x").prefers(100, "zone", "east").build());

      assertThat(result.selectedName()).contains("w");
    }
  }

  @Nested
  class AntiAffinity {
    @Test
    void a_worker_matching_an_anti_affinity_term_is_rejected() {
      var result = placeOn(aWorker("w").runtimes("shell").label("flaky", "true"),
          anAction("demo.x").avoids("flaky", "true").build());

      assertThat(result.rejectionCodes("w")).containsExactly(ANTI_AFFINITY);
      assertThat(result.rejections("w").get(0).detail())
          .isEqualTo("labels {flaky=true} match anti-affinity term {flaky=true}");
    }

    @Test
    void a_worker_matching_no_anti_affinity_term_is_fine() {
      var result = placeOn(aWorker("w").runtimes("shell").label("flaky", "false"),
          anAction("demo.x").avoids("flaky", "true").avoids("zone", "west").build());

      assertThat(result.selectedName()).contains("w");
    }
  }

  @Nested
  class Packs {
    @Test
    void a_worker_limited_to_other_packs_is_rejected_naming_the_pack_and_the_packs_it_serves() {
      var result = placeOn(aWorker("ml-only").runtimes("shell").packs("ml", "vision"), anAction("core.x").build());

      assertThat(result.rejectionCodes("ml-only")).containsExactly(PACK_NOT_SERVED);
      assertThat(result.rejections("ml-only").get(0).detail())
          .isEqualTo("does not serve pack core (serves ml, vision)");
      assertThat(result.outcome()).as("no worker serves the pack: waiting would not help")
          .isEqualTo(PlacementOutcome.UNSCHEDULABLE);
    }

    @Test
    void a_worker_serving_the_pack_or_every_pack_takes_it() {
      var result = given(aWorker("core").runtimes("shell").packs("core", "ml").cordoned(),
          aWorker("any").runtimes("shell").cordoned())
          .place(anAction("ml.train"));

      assertThat(result.rejectionCodes("core")).containsExactly(CORDONED);
      assertThat(result.rejectionCodes("any")).containsExactly(CORDONED);
      assertThat(result.outcome()).isEqualTo(PlacementOutcome.WAIT);
    }

    @Test
    void pack_names_are_compared_as_written() {
      var result = placeOn(aWorker("w").runtimes("shell").packs("Core"), anAction("core.x").build());

      assertThat(result.rejectionCodes("w")).containsExactly(PACK_NOT_SERVED);
    }
  }

  @Nested
  class Gpus {
    @Test
    void a_worker_without_gpus_is_rejected_for_an_action_that_needs_one() {
      var result = placeOn(aWorker("cpu").runtimes("shell"), anAction("ml.train").gpus(1, 0).build());

      assertThat(result.rejectionCodes("cpu")).containsExactly(GPU);
      assertThat(result.rejections("cpu").get(0).detail()).isEqualTo("needs 1 GPU, has no GPU");
      assertThat(result.outcome()).isEqualTo(PlacementOutcome.UNSCHEDULABLE);
    }

    @Test
    void too_few_gpus_with_enough_memory_are_rejected_naming_what_the_worker_has() {
      var result = placeOn(aWorker("t4").runtimes("shell").gpus(1, "Tesla T4", 15360).gpus(1, "NVIDIA A100", 81920),
          anAction("ml.train").gpus(2, 40000).build());

      assertThat(result.rejectionCodes("t4")).containsExactly(GPU);
      assertThat(result.rejections("t4").get(0).detail()).isEqualTo(
          "needs 2 GPUs with at least 40000 MiB, has 2 GPUs: Tesla T4 (15360 MiB), NVIDIA A100 (81920 MiB)");
    }

    @Test
    void enough_gpus_with_enough_memory_are_admitted() {
      var result = placeOn(aWorker("a100").runtimes("shell").gpus(2, "NVIDIA A100", 81920),
          anAction("ml.train").gpus(2, 40000).build());

      assertThat(result.selectedName()).contains("a100");
    }

    @Test
    void gpus_taken_by_other_executions_make_the_action_wait() {
      var result = placeOn(aWorker("a100").runtimes("shell").gpus(1, "NVIDIA A100", 81920).running(1, 4).reserved("gpus", 1),
          anAction("ml.train").gpus(1, 0).build());

      assertThat(result.rejectionCodes("a100")).containsExactly(GPU_BUSY);
      assertThat(result.rejections("a100").get(0).detail()).isEqualTo("needs 1 GPU, 1 of its 1 GPU in use");
      assertThat(result.outcome()).isEqualTo(PlacementOutcome.WAIT);
    }

    @Test
    void gpus_in_use_are_counted_against_those_with_enough_memory() {
      // one small and one large GPU, one in use: it may be the large one, so a large-memory action waits
      var result = placeOn(aWorker("mixed").runtimes("shell").gpus(1, "Tesla T4", 15360).gpus(1, "NVIDIA A100", 81920)
          .running(1, 4).reserved("gpus", 1), anAction("ml.train").gpus(1, 40000).build());

      assertThat(result.rejectionCodes("mixed")).containsExactly(GPU_BUSY);
      assertThat(result.rejections("mixed").get(0).detail())
          .isEqualTo("needs 1 GPU with at least 40000 MiB, 1 of its 2 GPUs in use (1 with enough memory)");
    }

    @Test
    void an_action_without_gpus_ignores_busy_gpus() {
      var result = placeOn(aWorker("a100").runtimes("shell").gpus(1, "NVIDIA A100", 81920).running(1, 4).reserved("gpus", 1),
          anAction("core.x").build());

      assertThat(result.selectedName()).contains("a100");
    }

    @Test
    void the_decision_agrees_that_busy_gpus_mean_wait() {
      var decision = given(aWorker("a100").runtimes("shell").gpus(1, "NVIDIA A100", 81920).running(1, 4)
          .reserved("gpus", 1)).decide(anAction("ml.train").gpus(1, 0));

      assertThat(decision.outcome()).isEqualTo(PlacementOutcome.WAIT);
    }
  }

  @Nested
  class Combined {
    @Test
    void a_worker_with_many_problems_lists_every_rejection_in_rule_order() {
      var result = given(aWorker("bad").runtimes("shell").label("zone", "west").label("flaky", "true")
          .taint("gpu", "true").inactive().cordoned().heartbeatAgo(Duration.ofMinutes(10)).running(4, 4)
          .packs("core").gpus(1, "Tesla T4", 15360).reserved("gpus", 1))
          .place(anAction("demo.everything").runtime("python").requires("node", "*").selector("zone", "east")
              .requiresLabel("zone", "east").avoids("flaky", "true").gpus(1, 0));

      assertThat(result.rejectionCodes("bad")).containsExactly(RUNTIME_MISSING, REQUIRED_RUNTIME, PACK_NOT_SERVED,
          SELECTOR, TAINT, AFFINITY, ANTI_AFFINITY, INACTIVE, CORDONED, HEARTBEAT_STALE, AT_CAPACITY, GPU_BUSY);
      assertThat(result.outcome()).isEqualTo(PlacementOutcome.UNSCHEDULABLE);
    }

    @Test
    void a_version_problem_is_listed_together_with_state_problems() {
      var result = given(aWorker("old").runtime("python", "3.7.0").cordoned().running(1, 1))
          .place(anAction("demo.x").runtime("python").version(">=3.8"));

      assertThat(result.rejectionCodes("old")).containsExactly(RUNTIME_VERSION, CORDONED, AT_CAPACITY);
    }

    @Test
    void every_worker_gets_its_own_list() {
      var result = given(
          aWorker("a").runtimes("shell").cordoned(),
          aWorker("b").runtimes("python"),
          aWorker("c").runtimes("shell").running(2, 2).neverHeartbeat())
          .place(anAction("demo.x").runtime("shell"));

      assertThat(result.rejectionCodes("a")).containsExactly(CORDONED);
      assertThat(result.rejectionCodes("b")).containsExactly(RUNTIME_MISSING);
      assertThat(result.rejectionCodes("c")).containsExactly(HEARTBEAT_STALE, AT_CAPACITY);
      assertThat(result.eligibleNames()).isEmpty();
      assertThat(result.outcome()).isEqualTo(PlacementOutcome.WAIT);
    }
  }

  @Test
  void the_standard_policy_has_one_rule_per_rejection_code() {
    assertThat(PlacementPolicy.standard().rules()).extracting(PlacementRule::code)
        .containsExactlyInAnyOrder(RejectionCode.values());
  }
}
