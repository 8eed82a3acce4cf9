package io.attune.worker.core.model.placement.rule;

import static io.attune.worker.core.testkit.ActionFixture.anAction;
import static io.attune.worker.core.testkit.WorkerFixture.aWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.placement.Fleet;
import io.attune.worker.core.model.placement.FleetGroup;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.worker.Reservations;
import io.attune.worker.core.model.worker.Worker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The resource kinds: what an execution reserves of each, when a worker has room, and a kind counted per key (here a
 * limit of running executions per pack, defined by the test) judged by the same generic rule as slots and GPUs.
 */
class ResourceKindsTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  /** At most {@code per_pack} executions of one pack at once, counted per pack; no limit without the key. */
  private static final ResourceKind PER_PACK = new ResourceKind("per_pack", true, RejectionCode.AT_CAPACITY) {
    @Override
    public String key(ActionRequirements action) {
      return action.pack();
    }

    @Override
    public int demand(ActionRequirements action) {
      return 1;
    }

    @Override
    public int offered(Capabilities capabilities, ActionRequirements action) {
      Object limit = capabilities.extras().get("per_pack");
      return limit instanceof Number n ? n.intValue() : UNLIMITED;
    }

    @Override
    String detail(ActionRequirements action, Worker worker) {
      return "running " + reserved(action, worker) + " of pack " + action.pack();
    }
  };

  @Test
  void an_execution_reserves_a_slot_and_the_gpus_it_asks_for_by_counter() {
    assertThat(ResourceKinds.demand(anAction("core.echo").build()).asMap()).isEqualTo(Map.of("slots", 1));
    assertThat(ResourceKinds.demand(anAction("ml.train").gpus(2, 40000).build()).asMap())
        .isEqualTo(Map.of("slots", 1, "gpus", 2));
  }

  @Test
  void a_worker_fits_an_action_while_every_kind_has_room() {
    ActionRequirements train = anAction("ml.train").gpus(1, 40000).build();
    Worker roomy = aWorker("a").runtimes("shell").running(3, 4).gpus(2, "NVIDIA A100", 81920).reserved("gpus", 1)
        .build(NOW);

    assertThat(ResourceKinds.fit(train, roomy)).isTrue();
    assertThat(ResourceKinds.fit(train, roomy.withRunning(4))).as("no slot free").isFalse();
    assertThat(ResourceKinds.fit(train, roomy.withReserved(roomy.reserved().plus(Reservations.of(Map.of("gpus", 1))))))
        .as("no GPU free").isFalse();
    assertThat(ResourceKinds.fit(anAction("core.echo").build(), aWorker("b").runtimes("shell").running(1, 4)
        .reserved("gpus", 9).build(NOW))).as("an action needing no GPU ignores them").isTrue();
  }

  @Test
  void a_kind_counted_per_key_reads_and_limits_the_counter_of_the_actions_key_only() {
    Worker worker = aWorker("w").runtimes("shell").running(2, 10).reserved("per_pack:ml", 2)
        .reserved("per_pack:core", 1).build(NOW);
    Worker cappedWorker = capped(worker, 2);
    ActionRequirements ml = anAction("ml.train").build();
    ActionRequirements core = anAction("core.echo").build();

    assertThat(PER_PACK.counter(ml)).isEqualTo("per_pack:ml");
    assertThat(PER_PACK.reserved(ml, cappedWorker)).isEqualTo(2);
    assertThat(PER_PACK.fits(ml, cappedWorker)).as("two of ml held, at most two").isFalse();
    assertThat(PER_PACK.fits(core, cappedWorker)).as("one of core held").isTrue();
    assertThat(PER_PACK.fits(ml, worker)).as("no limit advertised").isTrue();
  }

  @Test
  void the_generic_state_rule_explains_a_kind_with_its_code_and_detail() {
    Worker full = capped(aWorker("w").runtimes("shell").running(1, 10).reserved("per_pack:ml", 1).build(NOW), 1);

    var rejection = new StateRules.ResourceFree(PER_PACK).check(anAction("ml.train").build(), full, NOW);

    assertThat(rejection).hasValueSatisfying(r -> {
      assertThat(r.code()).isEqualTo(RejectionCode.AT_CAPACITY);
      assertThat(r.detail()).isEqualTo("running 1 of pack ml");
    });
    assertThat(new StateRules.ResourceFree(PER_PACK).check(anAction("core.echo").build(), full, NOW)).isEmpty();
  }

  @Test
  void a_group_member_reads_a_kind_counted_per_key_from_its_worker_without_allocating_a_counter_name() {
    Worker worker = aWorker("w").runtimes("shell").running(1, 4).reserved("per_pack:ml", 3).build(NOW);
    FleetGroup.Cursor member = new FleetGroup.Cursor().at(Fleet.of(List.of(worker)).groups().get(0), 0);

    assertThat(member.reserved("per_pack", "ml")).isEqualTo(3);
    assertThat(member.reserved("per_pack", "core")).isZero();
    assertThat(member.reserved(Reservations.SLOTS, null)).isEqualTo(1);
  }

  @Test
  void a_kind_needs_a_plain_name_and_a_transient_code() {
    assertThatThrownBy(() -> new ResourceKind("Per-Pack", true, RejectionCode.AT_CAPACITY) {
      @Override
      public String key(ActionRequirements action) {
        return null;
      }

      @Override
      public int demand(ActionRequirements action) {
        return 0;
      }

      @Override
      public int offered(Capabilities capabilities, ActionRequirements action) {
        return 0;
      }

      @Override
      String detail(ActionRequirements action, Worker worker) {
        return "";
      }
    }).hasMessageContaining("lowercase");
  }

  /** The worker advertising at most {@code perPack} executions of one pack. */
  private static Worker capped(Worker worker, int perPack) {
    Capabilities capped = worker.capabilities().toBuilder().extras(Map.of("per_pack", perPack)).build();
    return new Worker(worker.id(), worker.name(), worker.type(), worker.host(), worker.status(), worker.cordoned(),
        capped, worker.heartbeatInterval(), worker.lastHeartbeat(), worker.reserved());
  }
}
