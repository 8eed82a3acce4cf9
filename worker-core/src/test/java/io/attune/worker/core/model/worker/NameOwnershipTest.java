package io.attune.worker.core.model.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NameOwnershipTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
  private static final Instant STARTED = Instant.parse("2026-01-01T00:00:00Z");
  private static final ProcessInstance ME = new ProcessInstance("me", "host-a", "boot-1", "pid:[1]", 200, NOW);

  private static NameHolder holder(ProcessInstance instance, WorkerStatus status, Duration heartbeatAge) {
    return new NameHolder(new WorkerId(1), "w-1", Optional.of(instance), status,
        Optional.of(NOW.minus(heartbeatAge)), Duration.ofSeconds(30));
  }

  private static ProcessInstance other(String bootId, String namespace) {
    return new ProcessInstance("other", "host-a", bootId, namespace, 100, STARTED);
  }

  @Test
  void a_name_nobody_holds_is_free() {
    assertThat(NameOwnership.judge(Optional.empty(), ME, NOW, (pid, at) -> true))
        .isInstanceOfSatisfying(NameOwnership.Claim.Free.class, free -> assertThat(free.from()).isEmpty());
  }

  @Test
  void a_live_holder_keeps_its_name_and_the_refusal_names_it() {
    NameHolder live = holder(other("boot-1", "pid:[1]"), WorkerStatus.ACTIVE, Duration.ofSeconds(5));

    NameOwnership.Claim claim = NameOwnership.judge(Optional.of(live), ME, NOW, (pid, at) -> true);

    assertThat(claim).isInstanceOfSatisfying(NameOwnership.Claim.Held.class, held -> assertThat(held.why())
        .contains("'w-1' is held by a live process").contains("pid 100 on host-a").contains("5 s ago"));
  }

  @Test
  void a_holder_that_is_inactive_or_silent_for_three_intervals_is_gone() {
    assertThat(NameOwnership.judge(Optional.of(holder(other("b", "n"), WorkerStatus.INACTIVE, Duration.ZERO)), ME,
        NOW, (pid, at) -> true)).isInstanceOf(NameOwnership.Claim.Free.class);
    assertThat(NameOwnership.judge(Optional.of(holder(other("b", "n"), WorkerStatus.ACTIVE, Duration.ofSeconds(90))),
        ME, NOW, (pid, at) -> true)).as("exactly three intervals is stale").isInstanceOf(NameOwnership.Claim.Free.class);
    assertThat(NameOwnership.judge(Optional.of(holder(other("b", "n"), WorkerStatus.ACTIVE, Duration.ofSeconds(89))),
        ME, NOW, (pid, at) -> true)).isInstanceOf(NameOwnership.Claim.Held.class);
  }

  @Test
  void a_fresh_holder_on_this_machine_whose_process_no_longer_runs_is_gone() {
    NameHolder crashed = holder(other("boot-1", "pid:[1]"), WorkerStatus.ACTIVE, Duration.ofSeconds(1));

    NameOwnership.Claim claim = NameOwnership.judge(Optional.of(crashed), ME, NOW, (pid, at) -> false);

    assertThat(claim).isInstanceOfSatisfying(NameOwnership.Claim.Free.class, free -> {
      assertThat(free.from()).contains(crashed);
      assertThat(free.why()).contains("ran on this machine and no longer runs");
    });
  }

  @Test
  void a_process_id_of_another_machine_or_pid_namespace_is_never_looked_up() {
    for (ProcessInstance elsewhere : new ProcessInstance[] {other("boot-2", "pid:[1]"), other("boot-1", "pid:[9]"),
        other("", "")}) {
      NameHolder fresh = holder(elsewhere, WorkerStatus.ACTIVE, Duration.ofSeconds(1));

      assertThat(NameOwnership.judge(Optional.of(fresh), ME, NOW, (pid, at) -> false)).as(elsewhere.toString())
          .isInstanceOf(NameOwnership.Claim.Held.class);
    }
  }

  @Test
  void this_process_s_own_name_is_free_to_it() {
    NameHolder mine = holder(ME, WorkerStatus.ACTIVE, Duration.ZERO);

    assertThat(NameOwnership.judge(Optional.of(mine), ME, NOW, (pid, at) -> true))
        .isInstanceOf(NameOwnership.Claim.Free.class);
  }
}
