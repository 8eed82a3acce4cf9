package io.attune.worker.core.model.placement;

import static io.attune.worker.core.testkit.ActionFixture.anAction;
import static io.attune.worker.core.testkit.WorkerFixture.aWorker;
import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.testkit.WorkerFixture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The placement index stays equal to a fresh one when workers change one at a time. */
class FleetTest {

  private static final Instant NOW = WorkerFixture.DEFAULT_NOW;

  @Test
  void replacing_a_workers_load_keeps_its_group_and_is_seen_by_the_next_decision() {
    Worker busy = aWorker("py-a").runtimes("shell", "python").running(9, 10).build(NOW);
    Worker idle = aWorker("py-b").runtimes("shell", "python").running(0, 10).build(NOW);
    Fleet fleet = Fleet.of(List.of(busy, idle));

    Fleet updated = fleet.replacing(busy.withRunning(0)).replacing(idle.withRunning(10));

    assertThat(updated.groupCount()).isEqualTo(1);
    assertThat(updated.byName("py-b").orElseThrow().running()).isEqualTo(10);
    assertThat(PlacementPolicy.standard().decide(anAction("p.a").runtime("python").build(), updated, NOW)
        .selected().map(Worker::name)).contains("py-a");
    assertThat(fleet.byName("py-b").orElseThrow().running()).as("the original is unchanged").isZero();
  }

  @Test
  void a_worker_whose_capabilities_changed_moves_to_its_new_group() {
    Worker shell = aWorker("w").runtimes("shell").build(NOW);
    Fleet fleet = Fleet.of(List.of(shell, aWorker("x").runtimes("shell").build(NOW)));

    Worker nowPython = new Worker(shell.id(), "w", shell.type(), shell.host(), shell.status(), false,
        aWorker("w").runtimes("shell", "python").build(NOW).capabilities(), shell.heartbeatInterval(),
        shell.lastHeartbeat(), 0);
    Fleet updated = fleet.replacing(nowPython);

    assertThat(updated.groupCount()).isEqualTo(2);
    assertThat(PlacementPolicy.standard().decide(anAction("p.a").runtime("python").build(), updated, NOW)
        .selected().map(Worker::name)).contains("w");
  }

  @Test
  void a_new_worker_is_added_in_name_order() {
    Fleet fleet = Fleet.of(List.of(aWorker("a").runtimes("shell").build(NOW), aWorker("c").runtimes("shell")
        .build(NOW)));

    Fleet updated = fleet.replacing(aWorker("b").runtimes("shell").build(NOW));

    assertThat(updated.workers()).extracting(Worker::name).containsExactly("a", "b", "c");
  }

  @Test
  void many_random_changes_give_the_same_decisions_as_a_fresh_index() {
    Random random = new Random(42);
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      WorkerFixture fixture = aWorker("w" + i).runtimes(i % 2 == 0 ? "shell" : "python").running(0, 3);
      workers.add(fixture.label("zone", i % 3 == 0 ? "east" : "west").build(NOW));
    }
    Fleet fleet = Fleet.of(workers);
    List<ActionRequirements> actions = List.of(anAction("p.sh").build(), anAction("p.py").runtime("python").build(),
        anAction("p.east").selector("zone", "east").build());
    for (int step = 0; step < 500; step++) {
      int i = random.nextInt(workers.size());
      Worker changed = workers.get(i).withRunning(random.nextInt(4)).withCordoned(random.nextInt(10) == 0);
      workers.set(i, changed);
      fleet = fleet.replacing(changed);

      Fleet fresh = Fleet.of(workers);
      assertThat(fleet.workers()).isEqualTo(fresh.workers());
      for (ActionRequirements action : actions) {
        PlacementReport incremental = PlacementPolicy.standard().explain(action, fleet.workers(), NOW);
        assertThat(PlacementPolicy.standard().decide(action, fleet, NOW).outcome())
            .isEqualTo(PlacementPolicy.standard().decide(action, fresh, NOW).outcome())
            .isEqualTo(incremental.outcome());
      }
    }
  }

  @Test
  void removing_the_last_member_of_a_group_drops_the_group() {
    Fleet fleet = Fleet.of(List.of(aWorker("a").runtimes("shell").build(NOW), aWorker("b").runtimes("python")
        .build(NOW)));

    Fleet updated = fleet.removing("a");

    assertThat(updated.workers()).extracting(Worker::name).containsExactly("b");
    assertThat(updated.groupCount()).isEqualTo(1);
    assertThat(PlacementPolicy.standard().decide(anAction("p.sh").build(), updated, NOW).outcome())
        .isEqualTo(PlacementOutcome.UNSCHEDULABLE);
    assertThat(updated.removing("nobody")).isSameAs(updated);
  }

  @Test
  void random_additions_removals_and_moves_keep_the_index_equal_to_a_fresh_one_and_decide_alike() {
    Random random = new Random(12);
    List<List<String>> profiles = List.of(List.of("shell"), List.of("shell", "python"), List.of("python"),
        List.of("shell", "node"));
    Map<String, Worker> workers = new HashMap<>();
    Fleet fleet = Fleet.empty();
    List<ActionRequirements> actions = List.of(anAction("p.sh").build(), anAction("p.py").runtime("python").build(),
        anAction("p.east").selector("zone", "east").build());
    for (int step = 0; step < 2_000; step++) {
      String name = "w" + random.nextInt(30);
      if (random.nextInt(4) == 0) {
        workers.remove(name);
        fleet = fleet.removing(name);
      } else {
        Worker previous = workers.get(name);
        Worker changed = random.nextInt(3) == 0 || previous == null
            ? aWorker(name).runtimes(profiles.get(random.nextInt(profiles.size())).toArray(String[]::new))
                .label("zone", random.nextBoolean() ? "east" : "west").running(random.nextInt(3), 2).build(NOW)
            : previous.withRunning(random.nextInt(3)).withCordoned(random.nextInt(8) == 0);
        workers.put(name, changed);
        fleet = fleet.replacing(changed);
      }

      Fleet fresh = Fleet.of(workers.values());
      assertThat(fleet.workers()).isEqualTo(fresh.workers());
      assertThat(membersOf(fleet)).as("step %d", step).isEqualTo(membersOf(fresh));
      for (ActionRequirements action : actions) {
        // two policies with the same round-robin turn select the same worker from equal indexes
        PlacementDecision incremental = PlacementPolicy.standard().decide(action, fleet, NOW);
        PlacementDecision rebuilt = PlacementPolicy.standard().decide(action, fresh, NOW);
        assertThat(incremental.outcome()).isEqualTo(rebuilt.outcome());
        assertThat(incremental.selected()).isEqualTo(rebuilt.selected());
      }
    }
  }

  private static List<List<String>> membersOf(Fleet fleet) {
    return fleet.groups().stream().map(g -> Arrays.stream(g.members()).map(Worker::name).toList()).toList();
  }
}
