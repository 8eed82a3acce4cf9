package io.attune.worker.core.model.placement;

import static io.attune.worker.core.testkit.ActionFixture.anAction;
import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.Gpu;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.GpuRequirement;
import io.attune.worker.core.model.placement.rule.PlacementRule;
import io.attune.worker.core.model.placement.rule.PlacementRules;
import io.attune.worker.core.model.placement.rule.ResourceKinds;
import io.attune.worker.core.model.placement.rule.StateRule;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Reservations;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.model.worker.WorkerType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The state rules read a worker's load from the worker or, on the decision's hot path, from its fleet group's
 * arrays through a cursor: both readings must give the same verdict, to the nanosecond of a heartbeat.
 */
class StateRulesOnGroupsTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00.000500000Z");
  private static final List<ActionRequirements> ACTIONS = List.of(anAction("p.sh").build(),
      anAction("p.gpu").build().withGpu(new GpuRequirement(1, 40_000)),
      anAction("p.gpus").build().withGpu(new GpuRequirement(2, 0)));

  @Test
  void every_state_rule_gives_the_same_verdict_on_a_worker_and_on_its_group_member() {
    Random random = new Random(3);
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      workers.add(randomWorker(i, random));
    }
    Fleet fleet = Fleet.of(workers);
    List<String> disagreements = new ArrayList<>();
    FleetGroup.Cursor cursor = new FleetGroup.Cursor();
    for (PlacementRule rule : PlacementRules.standard()) {
      if (!(rule instanceof StateRule stateRule)) {
        continue;
      }
      for (FleetGroup group : fleet.groups()) {
        for (int member = 0; member < group.size(); member++) {
          Worker worker = group.member(member);
          for (Instant now : List.of(NOW, NOW.minusNanos(1), NOW.plusNanos(1), NOW.plusMillis(1))) {
            for (ActionRequirements action : ACTIONS) {
              if (stateRule.admits(action, worker, now)
                  != stateRule.admits(action, cursor.at(group, member), now)) {
                disagreements.add(rule.code().wireName() + " at " + now + " on " + worker + " for " + action);
              }
            }
          }
        }
      }
    }
    assertThat(disagreements).isEmpty();
  }

  @Test
  void a_heartbeat_turning_stale_within_the_current_millisecond_is_judged_to_the_nanosecond() {
    Duration interval = Duration.ofSeconds(30);
    Instant staleFrom = NOW.plusNanos(200_000); // the same millisecond as NOW, a little later
    Worker fresh = worker(1, WorkerStatus.ACTIVE, false, staleFrom.minus(interval.multipliedBy(3)), 0, 2);
    Worker stale = worker(2, WorkerStatus.ACTIVE, false, NOW.minus(interval.multipliedBy(3)), 0, 2);
    FleetGroup group = Fleet.of(List.of(fresh, stale)).groups().get(0);
    FleetGroup.Cursor cursor = new FleetGroup.Cursor();

    assertThat(cursor.at(group, 0).isFresh(NOW)).isTrue();
    assertThat(cursor.at(group, 1).isFresh(NOW)).as("exactly three intervals old is stale").isFalse();
    assertThat(cursor.at(group, 0).isFresh(staleFrom)).isFalse();
  }

  @Test
  void a_replaced_member_is_read_from_its_new_state() {
    Worker busy = worker(1, WorkerStatus.ACTIVE, false, NOW, 2, 2);
    Fleet fleet = Fleet.of(List.of(busy, worker(2, WorkerStatus.ACTIVE, false, NOW, 0, 2)));

    FleetGroup before = fleet.groups().get(0);
    FleetGroup after = fleet.replacing(busy.withRunning(1).withCordoned(true).withHeartbeat(null)).groups().get(0);
    FleetGroup.Cursor cursor = new FleetGroup.Cursor();

    assertThat(cursor.at(after, 0).reserved(Reservations.SLOTS, null)).isEqualTo(1);
    assertThat(cursor.at(after, 0).cordoned()).isTrue();
    assertThat(cursor.at(after, 0).isFresh(NOW)).isFalse();
    assertThat(cursor.at(before, 0).reserved(Reservations.SLOTS, null)).as("the original group is unchanged").isEqualTo(2);
    assertThat(cursor.at(before, 0).isFresh(NOW)).isTrue();
  }

  private static Worker randomWorker(int i, Random random) {
    WorkerStatus status = WorkerStatus.values()[random.nextInt(WorkerStatus.values().length)];
    // heartbeats near the staleness boundary, down to the nanosecond, so that both sides of it are reached
    Instant heartbeat = switch (random.nextInt(4)) {
      case 0 -> null;
      case 1 -> NOW.minusSeconds(90).plusNanos(random.nextInt(2_000_001) - 1_000_000);
      default -> NOW.minusSeconds(random.nextInt(120)).minusNanos(random.nextInt(1_000_000));
    };
    int max = 1 + random.nextInt(3);
    Worker worker = worker(i, status, random.nextInt(5) == 0, heartbeat, random.nextInt(max + 1), max);
    int gpus = random.nextInt(3);
    if (gpus == 0) {
      return worker;
    }
    Capabilities.Builder caps = worker.capabilities().toBuilder();
    for (int g = 0; g < gpus; g++) {
      caps.gpu(new Gpu("NVIDIA test", random.nextBoolean() ? 16_384 : 81_920));
    }
    return new Worker(worker.id(), worker.name(), worker.type(), worker.host(), worker.status(), worker.cordoned(),
        caps.build(), worker.heartbeatInterval(), worker.lastHeartbeat(),
        worker.reserved().plus(Reservations.of(Map.of(ResourceKinds.GPUS.name(), random.nextInt(gpus + 1)))));
  }

  private static Worker worker(int i, WorkerStatus status, boolean cordoned, Instant heartbeat, int running,
      int max) {
    return new Worker(new WorkerId(i + 1), "w-" + i, WorkerType.LOCAL, "h", status, cordoned,
        Capabilities.builder().runtime(RuntimeName.SHELL).maxConcurrentExecutions(max).build(),
        Duration.ofSeconds(30), heartbeat, running);
  }
}
