package io.attune.worker.core.model.placement;

import static io.attune.worker.core.testkit.ActionFixture.anAction;
import static io.attune.worker.core.testkit.PlacementScenario.given;
import static io.attune.worker.core.testkit.WorkerFixture.aWorker;
import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.testkit.ActionFixture;
import io.attune.worker.core.testkit.PlacementScenario;
import io.attune.worker.core.testkit.WorkerFixture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Ranking among eligible workers, the tie-breaks of explain and decide, and the three outcomes. */
class PlacementRankingTest {

  private static final ActionFixture SHELL_ACTION = anAction("demo.x").runtime("shell");

  @Test
  void the_highest_preferred_affinity_score_wins_over_a_lower_load() {
    var scenario = given(
        aWorker("busy-east").runtimes("shell").label("zone", "east").running(9, 10),
        aWorker("idle-west").runtimes("shell").label("zone", "west"));
    ActionFixture action = anAction("demo.x").prefers(50, "zone", "east");

    var explained = scenario.place(action);

    assertThat(explained.selectedName()).contains("busy-east");
    assertThat(explained.report().assessmentOf("busy-east").orElseThrow().preferenceScore()).isEqualTo(50);
    assertThat(explained.report().assessmentOf("idle-west").orElseThrow().preferenceScore()).isZero();
    assertThat(scenario.decide(action).selected().map(Worker::name)).contains("busy-east");
  }

  @Test
  void the_score_is_the_sum_of_the_weights_of_the_matching_preferred_terms() {
    var scenario = given(
        aWorker("both").runtimes("shell").label("zone", "east").label("disk", "ssd"),
        aWorker("one").runtimes("shell").label("tier", "gold"));
    ActionFixture action = anAction("demo.x").prefers(30, "zone", "east").prefers(40, "disk", "ssd")
        .prefers(60, "tier", "gold");

    var explained = scenario.place(action);

    assertThat(explained.report().assessmentOf("both").orElseThrow().preferenceScore()).isEqualTo(70);
    assertThat(explained.report().assessmentOf("one").orElseThrow().preferenceScore()).isEqualTo(60);
    assertThat(explained.selectedName()).contains("both");
    assertThat(scenario.decide(action).selected().map(Worker::name)).contains("both");
  }

  @Test
  void a_preferred_worker_that_is_full_gives_way_to_the_next_best() {
    var scenario = given(
        aWorker("east").runtimes("shell").label("zone", "east").running(2, 2),
        aWorker("west").runtimes("shell").label("zone", "west").running(5, 10));
    ActionFixture action = anAction("demo.x").prefers(50, "zone", "east");

    assertThat(scenario.place(action).selectedName()).contains("west");
    assertThat(scenario.decide(action).selected().map(Worker::name)).contains("west");
  }

  @Test
  void with_equal_scores_fewer_untolerated_prefer_no_schedule_taints_win_over_a_lower_load() {
    var scenario = given(
        aWorker("spot").runtimes("shell").taint("spot", "yes", TaintEffect.PREFER_NO_SCHEDULE),
        aWorker("steady").runtimes("shell").running(5, 10));

    var explained = scenario.place(SHELL_ACTION);

    assertThat(explained.selectedName()).contains("steady");
    assertThat(explained.report().assessmentOf("spot").orElseThrow().untoleratedSoftTaints()).isEqualTo(1);
    assertThat(scenario.decide(SHELL_ACTION).selected().map(Worker::name)).contains("steady");
  }

  @Test
  void a_tolerated_prefer_no_schedule_taint_does_not_count() {
    var scenario = given(
        aWorker("spot").runtimes("shell").taint("spot", "yes", TaintEffect.PREFER_NO_SCHEDULE),
        aWorker("steady").runtimes("shell").running(5, 10));
    ActionFixture action = anAction("demo.x").tolerates("spot", "yes");

    assertThat(scenario.place(action).selectedName()).contains("spot");
    assertThat(scenario.decide(action).selected().map(Worker::name)).contains("spot");
  }

  @Test
  void the_score_outranks_the_soft_taints() {
    var scenario = given(
        aWorker("preferred-spot").runtimes("shell").label("zone", "east")
            .taint("spot", "yes", TaintEffect.PREFER_NO_SCHEDULE),
        aWorker("plain").runtimes("shell"));
    ActionFixture action = anAction("demo.x").prefers(1, "zone", "east");

    assertThat(scenario.place(action).selectedName()).contains("preferred-spot");
    assertThat(scenario.decide(action).selected().map(Worker::name)).contains("preferred-spot");
  }

  @Test
  void then_the_lowest_load_wins_as_a_ratio_of_running_to_the_limit() {
    var scenario = given(
        aWorker("small").runtimes("shell").running(2, 4),
        aWorker("large").runtimes("shell").running(3, 10));

    assertThat(scenario.place(SHELL_ACTION).selectedName()).contains("large");
    for (int i = 0; i < 5; i++) {
      assertThat(scenario.decide(SHELL_ACTION).selected().map(Worker::name)).contains("large");
    }
  }

  @Test
  void explain_breaks_the_last_tie_by_name_every_time() {
    var scenario = given(aWorker("charlie").runtimes("shell"), aWorker("alpha").runtimes("shell"),
        aWorker("bravo").runtimes("shell"));

    for (int i = 0; i < 5; i++) {
      assertThat(scenario.place(SHELL_ACTION).selectedName()).contains("alpha");
    }
  }

  @Test
  void decide_rotates_among_equally_ranked_idle_workers() {
    var scenario = given(aWorker("a").runtimes("shell"), aWorker("b").runtimes("shell"),
        aWorker("c").runtimes("shell"));

    assertThat(namesOfDecisions(scenario, SHELL_ACTION, 6)).containsExactlyInAnyOrderEntriesOf(
        Map.of("a", 2, "b", 2, "c", 2));
  }

  @Test
  void decide_rotates_among_equally_loaded_workers_that_are_not_idle() {
    var scenario = given(aWorker("a").runtimes("shell").running(1, 4), aWorker("b").runtimes("shell").running(2, 8),
        aWorker("c").runtimes("shell").running(3, 4));

    assertThat(namesOfDecisions(scenario, SHELL_ACTION, 4)).containsExactlyInAnyOrderEntriesOf(
        Map.of("a", 2, "b", 2));
  }

  @Test
  void decide_rotates_over_every_tied_worker_even_across_capability_groups() {
    // two capability profiles (the labels differ) with two workers each: all four must take turns
    var scenario = given(
        aWorker("east-1").runtimes("shell").label("zone", "east"),
        aWorker("east-2").runtimes("shell").label("zone", "east"),
        aWorker("west-1").runtimes("shell").label("zone", "west"),
        aWorker("west-2").runtimes("shell").label("zone", "west"));

    assertThat(namesOfDecisions(scenario, SHELL_ACTION, 8)).containsExactlyInAnyOrderEntriesOf(
        Map.of("east-1", 2, "east-2", 2, "west-1", 2, "west-2", 2));
  }

  @Test
  void decide_rotates_over_groups_of_different_sizes() {
    var scenario = given(
        aWorker("solo").runtimes("shell").label("zone", "north"),
        aWorker("trio-1").runtimes("shell"),
        aWorker("trio-2").runtimes("shell"),
        aWorker("trio-3").runtimes("shell"));

    assertThat(namesOfDecisions(scenario, SHELL_ACTION, 8)).containsExactlyInAnyOrderEntriesOf(
        Map.of("solo", 2, "trio-1", 2, "trio-2", 2, "trio-3", 2));
  }

  @Test
  void decide_skips_a_tied_worker_that_is_unhealthy() {
    var scenario = given(aWorker("a").runtimes("shell"), aWorker("b").runtimes("shell").cordoned(),
        aWorker("c").runtimes("shell"));

    assertThat(namesOfDecisions(scenario, SHELL_ACTION, 6)).doesNotContainKey("b").containsKeys("a", "c");
  }

  @Test
  void an_eligible_worker_means_selected() {
    var result = given(aWorker("py").runtimes("python"), aWorker("sh").runtimes("shell"))
        .place(anAction("demo.x").runtime("python"));

    assertThat(result.outcome()).isEqualTo(PlacementOutcome.SELECTED);
    assertThat(result.eligibleNames()).containsExactly("py");
  }

  @Test
  void workers_that_are_only_busy_stale_inactive_or_cordoned_mean_wait() {
    var scenario = given(
        aWorker("full").runtimes("python").running(1, 1),
        aWorker("stale").runtimes("python").neverHeartbeat(),
        aWorker("down").runtimes("python").inactive(),
        aWorker("cordoned").runtimes("python").cordoned(),
        aWorker("shell-only").runtimes("shell"));
    ActionFixture action = anAction("demo.x").runtime("python");

    var result = scenario.place(action);

    assertThat(result.outcome()).isEqualTo(PlacementOutcome.WAIT);
    assertThat(result.report().selected()).isEmpty();
    assertThat(scenario.decide(action).outcome()).isEqualTo(PlacementOutcome.WAIT);
    assertThat(scenario.decide(action).selected()).isEmpty();
  }

  @Test
  void a_worker_that_could_never_run_it_even_when_idle_means_unschedulable() {
    var scenario = given(
        aWorker("old-and-full").runtime("python", "3.7.0").running(1, 1),
        aWorker("shell-only").runtimes("shell"));
    ActionFixture action = anAction("demo.x").runtime("python").version(">=3.8");

    assertThat(scenario.place(action).outcome()).isEqualTo(PlacementOutcome.UNSCHEDULABLE);
    assertThat(scenario.decide(action).outcome()).isEqualTo(PlacementOutcome.UNSCHEDULABLE);
  }

  @Test
  void no_worker_at_all_means_unschedulable() {
    var scenario = given();

    var result = scenario.place(SHELL_ACTION);

    assertThat(result.outcome()).isEqualTo(PlacementOutcome.UNSCHEDULABLE);
    assertThat(result.report().workers()).isEmpty();
    assertThat(scenario.decide(SHELL_ACTION).outcome()).isEqualTo(PlacementOutcome.UNSCHEDULABLE);
    assertThat(PlacementExplanations.summary(result.report())).isEqualTo("unschedulable: no worker is registered");
  }

  @Test
  void the_decision_explains_itself_on_the_data_it_saw() {
    var scenario = given(aWorker("py").runtimes("python").running(3, 10), aWorker("sh").runtimes("shell"));

    PlacementDecision decision = scenario.decide(anAction("demo.x").runtime("python"));

    assertThat(decision.outcome()).isEqualTo(PlacementOutcome.SELECTED);
    PlacementReport report = decision.explain();
    assertThat(report.outcome()).isEqualTo(PlacementOutcome.SELECTED);
    assertThat(report.selected().map(Worker::name)).contains("py");
    assertThat(report.workers()).extracting(a -> a.worker().name()).containsExactly("py", "sh");
    assertThat(decision).hasToString("selected py");
  }

  @Test
  void the_explanation_tree_has_the_documented_shape() {
    var result = given(aWorker("py").runtimes("python").label("zone", "east"), aWorker("sh").runtimes("shell"))
        .place(anAction("demo.x").runtime("python").prefers(20, "zone", "east"));

    Map<String, Object> tree = PlacementExplanations.toTree(result.report());

    assertThat(tree).containsOnlyKeys("action", "outcome", "selected", "workers")
        .containsEntry("action", "demo.x").containsEntry("outcome", "selected").containsEntry("selected", "py");
    assertThat(tree.get("workers")).isEqualTo(List.of(
        Map.of("name", "py", "eligible", true, "score", 20, "rejections", List.of()),
        Map.of("name", "sh", "eligible", false, "score", 0, "rejections", List.of(Map.of(
            "code", "runtime_missing", "detail", "does not offer runtime python (offers shell)")))));
    assertThat(PlacementExplanations.summary(result.report())).isEqualTo("selected py");
  }

  @Test
  void the_summary_of_a_failed_placement_names_each_worker_s_codes() {
    var result = given(aWorker("full").runtimes("python").running(1, 1), aWorker("sh").runtimes("shell"))
        .place(anAction("demo.x").runtime("python"));

    assertThat(PlacementExplanations.summary(result.report()))
        .isEqualTo("wait: full (at_capacity); sh (runtime_missing)");
  }

  @Test
  void a_scenario_can_be_evaluated_at_another_instant() {
    Instant later = WorkerFixture.DEFAULT_NOW.plusSeconds(3600);
    var result = given(aWorker("w").runtimes("shell")).at(later).place(SHELL_ACTION);

    assertThat(result.selectedName()).contains("w");
    assertThat(result.report().selected().orElseThrow().lastHeartbeatAt()).contains(later);
  }

  private static Map<String, Integer> namesOfDecisions(PlacementScenario scenario, ActionFixture action, int calls) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      names.add(scenario.decide(action).selected().orElseThrow().name());
    }
    Map<String, Integer> counts = new TreeMap<>();
    names.forEach(n -> counts.merge(n, 1, Integer::sum));
    return counts;
  }
}
