package io.attune.worker.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.error.WorkerNameTakenException;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.ProcessInstance;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerBeat;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.in.ClaimWorkerNameUseCase;
import io.attune.worker.core.testkit.MutableClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerLifecycleServiceTest {

  private final MutableClock clock = MutableClock.atDefault();
  private final InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
  private final WorkerLifecycleService lifecycle = new WorkerLifecycleService(registry, clock);

  private Worker register() {
    return lifecycle.register(new WorkerRegistration("w-1", WorkerType.LOCAL, "h",
        Capabilities.builder().runtime(RuntimeName.SHELL).build(), Duration.ofSeconds(30)));
  }

  @Test
  void registration_and_heartbeats_take_the_clock_s_time() {
    Worker worker = register();
    clock.advance(Duration.ofSeconds(20));

    assertThat(lifecycle.heartbeat(worker.id())).isTrue();

    assertThat(worker.lastHeartbeatAt()).contains(MutableClock.atDefault().instant());
    assertThat(registry.byId(worker.id()).orElseThrow().lastHeartbeatAt()).contains(clock.instant());
  }

  @Test
  void a_worker_that_shuts_down_is_inactive_until_it_heartbeats_again() {
    Worker worker = register();

    lifecycle.deregister(worker.id());
    assertThat(registry.byId(worker.id()).orElseThrow().status()).isEqualTo(WorkerStatus.INACTIVE);

    lifecycle.heartbeat(worker.id());
    assertThat(registry.byId(worker.id()).orElseThrow().status()).isEqualTo(WorkerStatus.ACTIVE);
  }

  @Test
  void cordon_and_uncordon_by_name() {
    register();

    assertThat(lifecycle.cordon("w-1")).get().extracting(Worker::cordoned).isEqualTo(true);
    assertThat(lifecycle.uncordon("w-1")).get().extracting(Worker::cordoned).isEqualTo(false);
    assertThat(lifecycle.cordon("nobody")).isEmpty();
  }

  private static WorkerRegistration named(String name, ProcessInstance by) {
    return new WorkerRegistration(name, WorkerType.LOCAL, "h", Capabilities.builder().runtime(RuntimeName.SHELL)
        .build(), Duration.ofSeconds(30)).by(by);
  }

  private ProcessInstance process(String id, long pid) {
    return new ProcessInstance(id, "h", "boot", "pid:[1]", pid, clock.instant());
  }

  @Test
  void a_second_process_under_a_live_name_is_held_off_and_takes_it_once_the_holder_is_stale() {
    ProcessInstance first = process("first", 10);
    ProcessInstance second = process("second", 11);
    WorkerLifecycleService here = new WorkerLifecycleService(registry, clock, (pid, startedAt) -> true);
    Worker held = ((ClaimWorkerNameUseCase.NameClaim.Claimed) here.claim(named("w-1", first))).worker();

    ClaimWorkerNameUseCase.NameClaim refused = here.claim(named("w-1", second));
    clock.advance(Duration.ofSeconds(90));
    ClaimWorkerNameUseCase.NameClaim taken = here.claim(named("w-1", second));

    assertThat(refused).isInstanceOfSatisfying(ClaimWorkerNameUseCase.NameClaim.Held.class,
        h -> assertThat(h.why()).contains("held by a live process"));
    assertThat(taken).isInstanceOfSatisfying(ClaimWorkerNameUseCase.NameClaim.Claimed.class, c -> {
      assertThat(c.worker().id()).isEqualTo(held.id());
      assertThat(c.takenFrom()).hasValueSatisfying(from -> assertThat(from.instance()).contains(first));
    });
    assertThat(lifecycle.beat(new WorkerBeat(held.id(), Optional.of("first"), true)))
        .isEqualTo(WorkerBeat.Outcome.NAME_TAKEN);
  }

  @Test
  void a_holder_on_this_machine_that_no_longer_runs_gives_its_name_up_at_once() {
    ProcessInstance crashed = process("crashed", 10);
    WorkerLifecycleService gone = new WorkerLifecycleService(registry, clock, (pid, startedAt) -> pid != 10);
    gone.claim(named("w-1", crashed));

    ClaimWorkerNameUseCase.NameClaim restarted = gone.claim(named("w-1", process("restarted", 12)));

    assertThat(restarted).isInstanceOfSatisfying(ClaimWorkerNameUseCase.NameClaim.Claimed.class,
        c -> assertThat(c.why()).contains("no longer runs"));
  }

  @Test
  void a_registration_by_a_process_whose_name_was_taken_is_refused_with_the_holder() {
    WorkerLifecycleService here = new WorkerLifecycleService(registry, clock, (pid, startedAt) -> false);
    here.claim(named("w-1", process("first", 10)));
    here.claim(named("w-1", process("second", 11)));

    assertThatThrownBy(() -> here.register(named("w-1", process("first", 10))))
        .isInstanceOf(WorkerNameTakenException.class).hasMessageContaining("instance second");
  }
}
