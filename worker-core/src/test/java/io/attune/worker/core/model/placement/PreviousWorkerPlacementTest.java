package io.attune.worker.core.model.placement;

import static io.attune.worker.core.testkit.ActionFixture.anAction;
import static io.attune.worker.core.testkit.WorkerFixture.aWorker;
import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.testkit.WorkerFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code prefer_previous_worker}: the worker that last ran the action successfully gets the preference's weight added
 * to its score, in {@code explain} and in {@code decide} alike, and only while every rule admits it.
 */
class PreviousWorkerPlacementTest {

  private static final Instant NOW = WorkerFixture.DEFAULT_NOW;
  private static final PlacementPolicy POLICY = PlacementPolicy.standard();
  private static final ActionRequirements STICKY = anAction("demo.warm").runtime("shell").build()
      .withPreferPreviousWorker(100);

  @Test
  void an_eligible_previous_worker_wins_over_an_idle_one_and_its_score_includes_the_weight() {
    Placed placed = place(STICKY, "warm",
        aWorker("idle").runtimes("shell"),
        aWorker("warm").runtimes("shell").running(3, 4));

    assertThat(placed.explained().selected().map(Worker::name)).contains("warm");
    assertThat(placed.decidedName()).contains("warm");
    WorkerAssessment warm = placed.explained().assessmentOf("warm").orElseThrow();
    assertThat(warm.previousWorker()).isTrue();
    assertThat(warm.preferenceScore()).isEqualTo(100);
    assertThat(placed.explained().assessmentOf("idle").orElseThrow().previousWorker()).isFalse();
    assertThat(PlacementExplanations.toTree(placed.explained()).get("workers").toString())
        .contains("name=warm, eligible=true, score=100, previous_worker=true");
  }

  @Test
  void without_the_preference_the_previous_worker_is_neither_marked_nor_favoured() {
    Placed placed = place(anAction("demo.warm").runtime("shell").build(), "warm",
        aWorker("idle").runtimes("shell"),
        aWorker("warm").runtimes("shell").running(3, 4));

    assertThat(placed.explained().selected().map(Worker::name)).contains("idle");
    assertThat(placed.decidedName()).contains("idle");
    assertThat(placed.explained().assessmentOf("warm").orElseThrow().previousWorker()).isFalse();
    assertThat(placed.explained().assessmentOf("warm").orElseThrow().preferenceScore()).isZero();
  }

  @Test
  void a_full_previous_worker_is_not_preferred() {
    assertNotPreferred(aWorker("warm").runtimes("shell").running(4, 4));
  }

  @Test
  void a_cordoned_previous_worker_is_not_preferred() {
    assertNotPreferred(aWorker("warm").runtimes("shell").cordoned());
  }

  @Test
  void a_stale_previous_worker_is_not_preferred() {
    assertNotPreferred(aWorker("warm").runtimes("shell").heartbeatAgo(Duration.ofMinutes(10)));
  }

  @Test
  void an_inactive_previous_worker_is_not_preferred() {
    assertNotPreferred(aWorker("warm").runtimes("shell").inactive());
  }

  @Test
  void a_previous_worker_rejected_by_a_capability_rule_is_not_preferred() {
    assertNotPreferred(aWorker("warm").runtimes("python"));
  }

  @Test
  void a_previous_worker_that_alone_could_run_it_but_is_full_makes_the_action_wait() {
    Placed placed = place(STICKY, "warm", aWorker("warm").runtimes("shell").running(1, 1));

    assertThat(placed.explained().outcome()).isEqualTo(PlacementOutcome.WAIT);
    assertThat(placed.decided().outcome()).isEqualTo(PlacementOutcome.WAIT);
  }

  @Test
  void a_preferred_label_term_of_higher_weight_beats_the_previous_worker() {
    ActionRequirements action = anAction("demo.warm").runtime("shell").prefers(60, "disk", "ssd").build()
        .withPreferPreviousWorker(50);
    Placed placed = place(action, "warm",
        aWorker("ssd").runtimes("shell").label("disk", "ssd").running(3, 4),
        aWorker("warm").runtimes("shell"));

    assertThat(placed.explained().assessmentOf("ssd").orElseThrow().preferenceScore()).isEqualTo(60);
    assertThat(placed.explained().assessmentOf("warm").orElseThrow().preferenceScore()).isEqualTo(50);
    assertThat(placed.explained().selected().map(Worker::name)).contains("ssd");
    assertThat(placed.decidedName()).contains("ssd");
  }

  @Test
  void the_weight_adds_to_the_previous_workers_own_label_score() {
    ActionRequirements action = anAction("demo.warm").runtime("shell").prefers(60, "disk", "ssd").build()
        .withPreferPreviousWorker(10);
    Placed placed = place(action, "warm",
        aWorker("ssd").runtimes("shell").label("disk", "ssd"),
        aWorker("warm").runtimes("shell").label("disk", "ssd").running(2, 4));

    assertThat(placed.explained().assessmentOf("warm").orElseThrow().preferenceScore()).isEqualTo(70);
    assertThat(placed.explained().selected().map(Worker::name)).contains("warm");
    assertThat(placed.decidedName()).contains("warm");
  }

  @Test
  void an_equal_score_falls_back_to_the_lower_load() {
    ActionRequirements action = anAction("demo.warm").runtime("shell").prefers(40, "disk", "ssd").build()
        .withPreferPreviousWorker(40);
    Placed placed = place(action, "warm",
        aWorker("ssd").runtimes("shell").label("disk", "ssd").running(1, 4),
        aWorker("warm").runtimes("shell").running(3, 4));

    assertThat(placed.explained().selected().map(Worker::name)).contains("ssd");
    assertThat(placed.decidedName()).contains("ssd");
  }

  @Test
  void decide_keeps_choosing_the_previous_worker_among_equal_members_of_its_group() {
    List<Worker> workers = build(aWorker("a").runtimes("shell"), aWorker("b").runtimes("shell"),
        aWorker("c").runtimes("shell"));
    WorkerId previous = byName(workers, "b").id();
    Fleet fleet = Fleet.of(workers);
    Set<String> chosen = new TreeSet<>();
    for (int i = 0; i < 6; i++) {
      chosen.add(POLICY.decide(STICKY, fleet, NOW, Optional.of(previous)).selected().orElseThrow().name());
    }
    // and without it, ties rotate: the preference is what keeps it on b
    Set<String> rotating = new TreeSet<>();
    for (int i = 0; i < 6; i++) {
      rotating.add(POLICY.decide(STICKY, fleet, NOW, Optional.empty()).selected().orElseThrow().name());
    }

    assertThat(chosen).containsExactly("b");
    assertThat(rotating).containsExactly("a", "b", "c");
  }

  @Test
  void a_previous_worker_that_is_gone_changes_nothing() {
    List<Worker> workers = build(aWorker("idle").runtimes("shell"), aWorker("busy").runtimes("shell").running(2, 4));
    Optional<WorkerId> gone = Optional.of(new WorkerId(Long.MAX_VALUE));

    PlacementReport explained = POLICY.explain(STICKY, workers, NOW, gone);

    assertThat(explained.selected().map(Worker::name)).contains("idle");
    assertThat(explained.workers()).noneMatch(WorkerAssessment::previousWorker);
    assertThat(POLICY.decide(STICKY, Fleet.of(workers), NOW, gone).selected().map(Worker::name)).contains("idle");
  }

  /** The previous worker "warm" is ineligible, an idle "other" is: "other" is selected and "warm" not favoured. */
  private static void assertNotPreferred(WorkerFixture warm) {
    Placed placed = place(STICKY, "warm", warm, aWorker("other").runtimes("shell").running(3, 4));

    assertThat(placed.explained().selected().map(Worker::name)).contains("other");
    assertThat(placed.decidedName()).contains("other");
    WorkerAssessment assessed = placed.explained().assessmentOf("warm").orElseThrow();
    assertThat(assessed.eligible()).isFalse();
    assertThat(assessed.previousWorker()).isTrue();
  }

  private static Placed place(ActionRequirements action, String previousName, WorkerFixture... fixtures) {
    List<Worker> workers = build(fixtures);
    Optional<WorkerId> previous = Optional.of(byName(workers, previousName).id());
    return new Placed(POLICY.explain(action, workers, NOW, previous),
        POLICY.decide(action, Fleet.of(workers), NOW, previous));
  }

  private static List<Worker> build(WorkerFixture... fixtures) {
    return Arrays.stream(fixtures).map(f -> f.build(NOW)).toList();
  }

  private static Worker byName(List<Worker> workers, String name) {
    return workers.stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
  }

  private record Placed(PlacementReport explained, PlacementDecision decided) {
    Optional<String> decidedName() {
      return decided.selected().map(Worker::name);
    }
  }
}
