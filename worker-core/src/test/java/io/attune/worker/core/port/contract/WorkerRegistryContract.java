package io.attune.worker.core.port.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.Taint;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.worker.NameHolder;
import io.attune.worker.core.model.worker.ProcessInstance;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerBeat;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.out.WorkerDirectory;
import io.attune.worker.core.port.out.WorkerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WorkerRegistry} with its {@link WorkerDirectory} must do. Extend it with a factory for a fresh,
 * empty registry of your adapter.
 */
public abstract class WorkerRegistryContract {

  /** Instants are whole milliseconds, which every store keeps exactly. */
  protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  protected static final Duration INTERVAL = Duration.ofSeconds(30);

  private WorkerRegistry registry;
  private WorkerDirectory directory;

  /** A registry without workers, called before each test. */
  protected abstract RegistryUnderTest createRegistry();

  @BeforeEach
  public void createRegistryUnderTest() {
    RegistryUnderTest underTest = createRegistry();
    registry = underTest.registry();
    directory = underTest.directory();
  }

  /** Capabilities using every field, including runtime versions, taints and pass-through extras. */
  protected static Capabilities richCapabilities() {
    return Capabilities.builder()
        .runtime(RuntimeName.PYTHON, Version.parse("3.11.2"), Version.parse("3.12.1"))
        .runtime(RuntimeName.SHELL)
        .runtime(RuntimeName.of("ml"))
        .maxConcurrentExecutions(4)
        .label("zone", "east")
        .label("gpu", "nvidia")
        .taint(new Taint("gpu", "true", TaintEffect.NO_SCHEDULE))
        .taint(new Taint("spot", "", TaintEffect.PREFER_NO_SCHEDULE))
        .extras(Map.of("gpu_model", "a100", "accelerators", List.of("cuda", "rocm")))
        .build();
  }

  protected static WorkerRegistration registration(String name, Capabilities capabilities) {
    return new WorkerRegistration(name, WorkerType.LOCAL, "host-" + name, capabilities, INTERVAL);
  }

  protected static WorkerRegistration shellWorker(String name) {
    return registration(name, Capabilities.builder().runtime(RuntimeName.SHELL).build());
  }

  @Test
  public void a_new_worker_is_active_uncordoned_idle_with_its_first_heartbeat_now() {
    Worker worker = registry.register(shellWorker("w-1"), T0);

    assertThat(worker.name()).isEqualTo("w-1");
    assertThat(worker.status()).isEqualTo(WorkerStatus.ACTIVE);
    assertThat(worker.cordoned()).isFalse();
    assertThat(worker.running()).isZero();
    assertThat(worker.lastHeartbeatAt()).contains(T0);
    assertThat(directory.byId(worker.id())).get().satisfies(found -> {
      assertThat(found.name()).isEqualTo("w-1");
      assertThat(found.status()).isEqualTo(WorkerStatus.ACTIVE);
      assertThat(found.running()).isZero();
      assertThat(found.lastHeartbeatAt()).contains(T0);
    });
  }

  @Test
  public void capabilities_type_host_and_heartbeat_interval_survive_a_round_trip() {
    WorkerRegistration registration = new WorkerRegistration("gpu-1", WorkerType.CONTAINER, "node-7",
        richCapabilities(), Duration.ofSeconds(12));
    Worker worker = registry.register(registration, T0);

    for (Worker found : List.of(directory.byId(worker.id()).orElseThrow(), directory.byName("gpu-1").orElseThrow(),
        directory.all().get(0))) {
      assertThat(found.id()).isEqualTo(worker.id());
      assertThat(found.type()).isEqualTo(WorkerType.CONTAINER);
      assertThat(found.host()).isEqualTo("node-7");
      assertThat(found.capabilities()).isEqualTo(richCapabilities());
      assertThat(found.heartbeatInterval()).isEqualTo(Duration.ofSeconds(12));
    }
  }

  @Test
  public void registering_the_same_name_again_keeps_the_id_and_updates_the_entry() {
    Worker first = registry.register(shellWorker("w-1"), T0);
    Capabilities changed = Capabilities.builder().runtime(RuntimeName.NODE, Version.parse("20.11.1"))
        .maxConcurrentExecutions(2).build();

    Worker again = registry.register(new WorkerRegistration("w-1", WorkerType.REMOTE, "elsewhere", changed,
        Duration.ofSeconds(5)), T0.plusSeconds(60));

    assertThat(again.id()).isEqualTo(first.id());
    Worker found = directory.byName("w-1").orElseThrow();
    assertThat(found.id()).isEqualTo(first.id());
    assertThat(found.capabilities()).isEqualTo(changed);
    assertThat(found.type()).isEqualTo(WorkerType.REMOTE);
    assertThat(found.host()).isEqualTo("elsewhere");
    assertThat(found.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(found.lastHeartbeatAt()).contains(T0.plusSeconds(60));
    assertThat(directory.all()).hasSize(1);
  }

  @Test
  public void registering_again_revives_an_inactive_worker_and_keeps_its_cordon() {
    Worker first = registry.register(shellWorker("w-1"), T0);
    registry.setCordoned("w-1", true);
    registry.markInactive(first.id());

    registry.register(shellWorker("w-1"), T0.plusSeconds(10));

    Worker found = directory.byId(first.id()).orElseThrow();
    assertThat(found.status()).isEqualTo(WorkerStatus.ACTIVE);
    assertThat(found.cordoned()).isTrue();
  }

  @Test
  public void workers_with_different_names_get_different_ids() {
    Worker a = registry.register(shellWorker("a"), T0);
    Worker b = registry.register(shellWorker("b"), T0);
    Worker c = registry.register(shellWorker("c"), T0);

    assertThat(List.of(a.id(), b.id(), c.id())).doesNotHaveDuplicates();
    assertThat(directory.byName("b").map(Worker::id)).contains(b.id());
  }

  @Test
  public void a_heartbeat_records_its_instant() {
    Worker worker = registry.register(shellWorker("w-1"), T0);

    assertThat(registry.heartbeat(worker.id(), T0.plusSeconds(25))).isTrue();

    assertThat(directory.byId(worker.id()).orElseThrow().lastHeartbeatAt()).contains(T0.plusSeconds(25));
  }

  @Test
  public void a_heartbeat_revives_a_worker_marked_inactive() {
    Worker worker = registry.register(shellWorker("w-1"), T0);
    registry.markInactive(worker.id());

    assertThat(registry.heartbeat(worker.id(), T0.plusSeconds(200))).isTrue();

    Worker found = directory.byId(worker.id()).orElseThrow();
    assertThat(found.status()).isEqualTo(WorkerStatus.ACTIVE);
    assertThat(found.isFresh(T0.plusSeconds(200))).isTrue();
  }

  @Test
  public void a_draining_worker_stays_draining_through_its_heartbeats_and_ends_inactive() {
    Worker worker = registry.register(shellWorker("w-1"), T0);

    assertThat(registry.markDraining(worker.id())).isTrue();
    assertThat(registry.markDraining(worker.id())).as("only an active worker starts draining").isFalse();
    assertThat(registry.heartbeat(worker.id(), T0.plusSeconds(10))).isTrue();
    Worker draining = directory.byId(worker.id()).orElseThrow();
    assertThat(draining.status()).isEqualTo(WorkerStatus.DRAINING);
    assertThat(draining.isActive()).isFalse();
    assertThat(draining.isLost(T0.plusSeconds(10))).as("it still heartbeats: finishing, not lost").isFalse();

    assertThat(registry.markInactive(worker.id())).isTrue();
    assertThat(directory.byId(worker.id()).orElseThrow().status()).isEqualTo(WorkerStatus.INACTIVE);
    assertThat(registry.markDraining(unknownId(worker))).isFalse();
  }

  @Test
  public void a_draining_worker_that_goes_silent_is_stale_like_an_active_one() {
    Worker worker = registry.register(shellWorker("w-1"), T0);
    registry.markDraining(worker.id());

    assertThat(directory.staleActive(T0.plus(INTERVAL.multipliedBy(3)))).extracting(Worker::id)
        .containsExactly(worker.id());
    assertThat(directory.staleActive(T0.plus(INTERVAL))).isEmpty();
  }

  @Test
  public void mark_inactive_if_stale_rechecks_the_heartbeat_in_the_same_step() {
    // issue 10, scenario 7: a heartbeat that lands between the liveness check and the change wins
    Worker worker = registry.register(shellWorker("w-1"), T0);
    Instant staleAt = T0.plus(INTERVAL.multipliedBy(3));
    assertThat(directory.staleActive(staleAt)).extracting(Worker::id).containsExactly(worker.id());
    registry.heartbeat(worker.id(), staleAt.minusSeconds(1));

    assertThat(registry.markInactiveIfStale(worker.id(), staleAt)).isFalse();
    assertThat(directory.byId(worker.id()).orElseThrow().status()).isEqualTo(WorkerStatus.ACTIVE);
    Instant later = staleAt.plus(INTERVAL.multipliedBy(3));
    assertThat(registry.markInactiveIfStale(worker.id(), later)).isTrue();
    assertThat(directory.byId(worker.id()).orElseThrow().status()).isEqualTo(WorkerStatus.INACTIVE);
    assertThat(registry.markInactiveIfStale(worker.id(), later)).as("once").isFalse();
    assertThat(registry.markInactiveIfStale(unknownId(worker), later)).isFalse();
  }

  @Test
  public void prune_removes_only_workers_lost_and_silent_for_the_given_time() {
    Duration week = Duration.ofDays(7);
    Worker stopped = registry.register(shellWorker("w-stopped"), T0);
    registry.markInactive(stopped.id());
    Worker crashed = registry.register(shellWorker("w-crashed"), T0);
    Worker recentlyStopped = registry.register(shellWorker("w-recent"), T0.plus(Duration.ofDays(6)));
    registry.markInactive(recentlyStopped.id());
    Worker alive = registry.register(shellWorker("w-alive"), T0);
    Instant now = T0.plus(week);
    registry.heartbeat(alive.id(), now.minusSeconds(1));

    assertThat(registry.prune(now, week)).containsExactly("w-crashed", "w-stopped");

    assertThat(directory.all()).extracting(Worker::name).containsExactly("w-alive", "w-recent");
    assertThat(registry.prune(now, week)).as("nothing left to prune").isEmpty();
    assertThat(directory.byId(crashed.id())).isEmpty();
  }

  @Test
  public void a_heartbeat_of_an_unknown_worker_returns_false() {
    Worker known = registry.register(shellWorker("w-1"), T0);

    assertThat(registry.heartbeat(unknownId(known), T0)).isFalse();
    assertThat(directory.byId(unknownId(known))).isEmpty();
  }

  @Test
  public void mark_inactive_changes_an_active_worker_once() {
    Worker worker = registry.register(shellWorker("w-1"), T0);

    assertThat(registry.markInactive(worker.id())).isTrue();
    assertThat(directory.byId(worker.id()).orElseThrow().status()).isEqualTo(WorkerStatus.INACTIVE);
    assertThat(registry.markInactive(worker.id())).isFalse();
    assertThat(registry.markInactive(unknownId(worker))).isFalse();
  }

  @Test
  public void cordon_and_uncordon_by_name_return_the_changed_worker() {
    Worker worker = registry.register(shellWorker("w-1"), T0);

    assertThat(registry.setCordoned("w-1", true)).get().satisfies(w -> {
      assertThat(w.id()).isEqualTo(worker.id());
      assertThat(w.cordoned()).isTrue();
    });
    assertThat(directory.byName("w-1").orElseThrow().cordoned()).isTrue();
    assertThat(directory.byName("w-1").orElseThrow().status()).isEqualTo(WorkerStatus.ACTIVE);

    assertThat(registry.setCordoned("w-1", false)).get().extracting(Worker::cordoned).isEqualTo(false);
    assertThat(directory.byName("w-1").orElseThrow().cordoned()).isFalse();
  }

  @Test
  public void cordoning_an_unknown_name_returns_empty() {
    registry.register(shellWorker("w-1"), T0);

    assertThat(registry.setCordoned("nobody", true)).isEmpty();
    assertThat(directory.byName("nobody")).isEmpty();
  }

  @Test
  public void all_lists_every_worker_sorted_by_name() {
    registry.register(shellWorker("charlie"), T0);
    registry.register(shellWorker("alpha"), T0);
    registry.register(shellWorker("bravo"), T0);

    assertThat(directory.all()).extracting(Worker::name).containsExactly("alpha", "bravo", "charlie");
  }

  @Test
  public void candidates_for_an_action_include_every_worker_offering_its_runtime() {
    registry.register(registration("py-1", Capabilities.builder().runtime(RuntimeName.PYTHON).build()), T0);
    registry.register(registration("py-2", richCapabilities()), T0);
    registry.register(shellWorker("sh-1"), T0);
    registry.register(registration("py-3", Capabilities.builder().runtime(RuntimeName.PYTHON).build()), T0);
    registry.markInactive(directory.byName("py-3").orElseThrow().id());

    var fleet = directory.candidatesFor(ActionRequirements.of("demo.hello", RuntimeName.PYTHON));

    assertThat(fleet.workers()).extracting(Worker::name).contains("py-1", "py-2", "py-3");
  }

  @Test
  public void stale_active_workers_are_those_silent_for_three_intervals_or_more() {
    Worker fresh = registry.register(shellWorker("fresh"), T0);
    Worker stale = registry.register(shellWorker("stale"), T0);
    Worker inactive = registry.register(shellWorker("inactive"), T0);
    registry.markInactive(inactive.id());
    registry.heartbeat(fresh.id(), T0.plusSeconds(30));
    Instant staleFromForStale = T0.plus(INTERVAL.multipliedBy(3));

    assertThat(directory.staleActive(staleFromForStale.minusMillis(1))).isEmpty();
    assertThat(directory.staleActive(staleFromForStale)).extracting(Worker::id).containsExactly(stale.id());
    assertThat(directory.staleActive(staleFromForStale.plusSeconds(30)))
        .extracting(Worker::id).containsExactlyInAnyOrder(fresh.id(), stale.id());
  }

  @Test
  public void each_worker_goes_stale_after_three_of_its_own_intervals() {
    Worker quick = registry.register(new WorkerRegistration("quick", WorkerType.LOCAL, "h",
        Capabilities.builder().runtime(RuntimeName.SHELL).build(), Duration.ofSeconds(5)), T0);
    registry.register(shellWorker("slow"), T0);

    assertThat(directory.staleActive(T0.plusSeconds(15))).extracting(Worker::id).containsExactly(quick.id());
  }

  /** An id no worker of a small test registry has: far from the given one, without assuming how ids are made. */
  protected static ProcessInstance process(String id) {
    return new ProcessInstance(id, "host-a", "boot-1", "pid:[4026531836]", 4242, T0.minusSeconds(60));
  }

  @Test
  public void a_claim_takes_a_free_name_and_records_the_process_that_holds_it() {
    Optional<Worker> claimed = registry.claim(shellWorker("w-1").by(process("a")), Optional.empty(), T0);

    assertThat(claimed).isPresent();
    NameHolder holder = registry.holderOf("w-1").orElseThrow();
    assertThat(holder.worker()).isEqualTo(claimed.get().id());
    assertThat(holder.instance()).contains(process("a"));
    assertThat(holder.status()).isEqualTo(WorkerStatus.ACTIVE);
    assertThat(holder.lastHeartbeat()).contains(T0);
    assertThat(registry.holderOf("nobody-holds-this")).isEmpty();
  }

  @Test
  public void a_claim_of_a_name_another_process_holds_is_refused_unless_the_entry_is_as_judged() {
    Worker first = registry.claim(shellWorker("w-1").by(process("a")), Optional.empty(), T0).orElseThrow();
    NameHolder judged = registry.holderOf("w-1").orElseThrow();

    assertThat(registry.claim(shellWorker("w-1").by(process("b")), Optional.empty(), T0.plusSeconds(1)))
        .as("held by another process").isEmpty();
    registry.heartbeat(new WorkerBeat(first.id(), Optional.of("a"), true), T0.plusSeconds(2));
    assertThat(registry.claim(shellWorker("w-1").by(process("b")), Optional.of(judged), T0.plusSeconds(3)))
        .as("the holder heartbeat since it was judged").isEmpty();
    NameHolder again = registry.holderOf("w-1").orElseThrow();
    Optional<Worker> taken = registry.claim(shellWorker("w-1").by(process("b")), Optional.of(again),
        T0.plusSeconds(4));

    assertThat(taken).hasValueSatisfying(w -> assertThat(w.id()).as("the name keeps its id").isEqualTo(first.id()));
    assertThat(registry.holderOf("w-1").orElseThrow().instance()).contains(process("b"));
    assertThat(registry.claim(shellWorker("w-1").by(process("b")), Optional.empty(), T0.plusSeconds(5)))
        .as("its own name").isPresent();
  }

  @Test
  public void a_heartbeat_of_a_process_that_no_longer_holds_the_name_is_not_recorded() {
    Worker first = registry.claim(shellWorker("w-1").by(process("a")), Optional.empty(), T0).orElseThrow();
    registry.claim(shellWorker("w-1").by(process("b")), registry.holderOf("w-1"), T0.plusSeconds(1));

    WorkerBeat.Outcome old = registry.heartbeat(new WorkerBeat(first.id(), Optional.of("a"), true),
        T0.plusSeconds(2));
    WorkerBeat.Outcome current = registry.heartbeat(new WorkerBeat(first.id(), Optional.of("b"), true),
        T0.plusSeconds(3));

    assertThat(old).isEqualTo(WorkerBeat.Outcome.NAME_TAKEN);
    assertThat(current).isEqualTo(WorkerBeat.Outcome.RECORDED);
    assertThat(directory.byName("w-1").orElseThrow().lastHeartbeatAt()).contains(T0.plusSeconds(3));
    assertThat(registry.heartbeat(new WorkerBeat(unknownId(first), Optional.of("b"), true), T0))
        .isEqualTo(WorkerBeat.Outcome.UNKNOWN_WORKER);
  }

  @Test
  public void a_heartbeat_says_whether_the_worker_takes_work_and_the_status_follows_the_core_s_rule() {
    Worker w = registry.claim(shellWorker("w-1").by(process("a")), Optional.empty(), T0).orElseThrow();

    registry.heartbeat(new WorkerBeat(w.id(), Optional.of("a"), false), T0.plusSeconds(1));
    assertThat(directory.byName("w-1").orElseThrow().status()).isEqualTo(WorkerStatus.ERROR);
    assertThat(registry.markDraining(w.id())).as("a worker in error may still drain").isTrue();
    registry.heartbeat(new WorkerBeat(w.id(), Optional.of("a"), true), T0.plusSeconds(2));
    assertThat(directory.byName("w-1").orElseThrow().status()).as("draining stays draining")
        .isEqualTo(WorkerStatus.DRAINING);
    registry.markInactive(w.id());
    registry.heartbeat(new WorkerBeat(w.id(), Optional.of("a"), true), T0.plusSeconds(3));
    assertThat(directory.byName("w-1").orElseThrow().status()).isEqualTo(WorkerStatus.ACTIVE);
    for (WorkerStatus before : WorkerStatus.values()) {
      for (boolean taking : List.of(true, false)) {
        assertThat(before.afterBeat(taking)).as(before + " taking work " + taking)
            .isEqualTo(before == WorkerStatus.DRAINING ? WorkerStatus.DRAINING
                : taking ? WorkerStatus.ACTIVE : WorkerStatus.ERROR);
      }
    }
  }

  protected static WorkerId unknownId(Worker known) {
    long id = known.id().value();
    return new WorkerId(id > Long.MAX_VALUE / 2 ? id / 2 : id + 1_000_000_007L);
  }
}
