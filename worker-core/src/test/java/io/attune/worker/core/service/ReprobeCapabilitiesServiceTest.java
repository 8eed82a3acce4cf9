package io.attune.worker.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.ResolvedCapabilities;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.in.RegisterWorkerUseCase;
import io.attune.worker.core.port.in.ReprobeCapabilitiesUseCase.Reprobe;
import io.attune.worker.core.port.out.CapabilityConfiguration;
import io.attune.worker.core.port.out.Environment;
import io.attune.worker.core.testkit.MutableClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReprobeCapabilitiesServiceTest {

  private final MutableClock clock = MutableClock.atDefault();
  private final InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
  private final InMemoryExecutionStore executions = new InMemoryExecutionStore(registry);
  private final WorkerLifecycleService lifecycle = new WorkerLifecycleService(registry, clock);
  private final ScriptedProbe probe = new ScriptedProbe().finds("node", "node", "20.1.0")
      .finds("python", "python3", "3.11.2");
  private final Map<String, String> env = new HashMap<>();
  private int registrations;
  private RegisterWorkerUseCase register = registration -> {
    registrations++;
    return lifecycle.register(registration);
  };

  private ResolveCapabilitiesService resolution() {
    return new ResolveCapabilitiesService(Environment.of(env), CapabilityConfiguration.none(), probe);
  }

  /** Starts the worker as WorkerRole does: resolve, register, then re-probe with what it registered. */
  private ReprobeCapabilitiesService started() {
    ResolvedCapabilities resolved = resolution().resolve();
    WorkerRegistration registration = new WorkerRegistration("w-1", WorkerType.LOCAL, "h",
        resolved.capabilities().toBuilder().label("zone", "east").build(), Duration.ofSeconds(30));
    lifecycle.register(registration);
    return new ReprobeCapabilitiesService(resolution(), again -> register.register(again),
        registration);
  }

  private Worker stored() {
    return registry.byName("w-1").orElseThrow();
  }

  @Test
  void nothing_changed_on_the_machine_registers_nothing() {
    ReprobeCapabilitiesService reprobe = started();

    Reprobe outcome = reprobe.reprobe();

    assertThat(outcome.changed()).isFalse();
    assertThat(registrations).isZero();
    assertThat(outcome.resolved().capabilities().runtimes()).contains(RuntimeName.NODE);
  }

  @Test
  void a_runtime_whose_binary_went_away_is_no_longer_offered_by_the_same_worker() {
    ReprobeCapabilitiesService reprobe = started();
    Worker before = stored();
    probe.loses("node");

    Reprobe outcome = reprobe.reprobe();

    assertThat(outcome.changed()).isTrue();
    assertThat(outcome.change().disappeared()).containsOnlyKeys(RuntimeName.NODE);
    assertThat(outcome.change().describe()).isEqualTo("went away: node 20.1.0");
    assertThat(stored().id()).isEqualTo(before.id());
    assertThat(stored().capabilities().runtimes()).doesNotContain(RuntimeName.NODE).contains(RuntimeName.PYTHON);
    assertThat(stored().capabilities().runtimeVersions()).doesNotContainKey(RuntimeName.NODE);
    assertThat(reprobe.current().capabilities()).isEqualTo(stored().capabilities());
    // the scheduler's rules no longer let a node action go to this worker
    assertThat(PlacementPolicy.standard().assess(ActionRequirements.of("demo.js", RuntimeName.NODE), stored(),
        clock.instant()).eligible()).isFalse();
  }

  @Test
  void a_runtime_that_appeared_is_offered_with_its_version_and_what_was_declared_stays() {
    ReprobeCapabilitiesService reprobe = started();
    probe.finds("ruby", "ruby", "3.2.2");

    Reprobe outcome = reprobe.reprobe();

    assertThat(outcome.change().describe()).isEqualTo("appeared: ruby 3.2.2");
    assertThat(stored().capabilities().versionsOf(RuntimeName.RUBY)).containsExactly(Version.parse("3.2.2"));
    assertThat(stored().capabilities().labels()).containsEntry("zone", "east");
    assertThat(registrations).isEqualTo(1);
  }

  @Test
  void re_registering_keeps_the_running_count_and_the_cordon() {
    ReprobeCapabilitiesService reprobe = started();
    var execution = executions.create(new ExecutionRequest(ActionRequirements.of("demo.js", RuntimeName.NODE),
        Map.of()), clock.instant());
    executions.assign(execution.id(), stored().id(), clock.instant());
    lifecycle.cordon("w-1");
    probe.loses("node");

    reprobe.reprobe();

    assertThat(stored().running()).isEqualTo(1);
    assertThat(stored().cordoned()).isTrue();
    assertThat(executions.find(execution.id()).orElseThrow().worker()).contains(stored().id());
  }

  @Test
  void a_declared_tier_is_not_re_probed_even_when_the_machine_changed() {
    env.put(Environment.WORKER_RUNTIMES, "shell,node");
    ReprobeCapabilitiesService reprobe = started();
    probe.loses("node");

    Reprobe outcome = reprobe.reprobe();

    assertThat(outcome.changed()).isFalse();
    assertThat(registrations).isZero();
    assertThat(stored().capabilities().runtimes()).contains(RuntimeName.NODE);
  }

  @Test
  void a_registry_that_cannot_be_reached_leaves_the_change_for_the_next_re_probe() {
    ReprobeCapabilitiesService reprobe = started();
    RegisterWorkerUseCase working = register;
    register = registration -> {
      throw new InfrastructureException("register worker w-1", "connection refused");
    };
    probe.loses("node");

    assertThatThrownBy(reprobe::reprobe).isInstanceOf(InfrastructureException.class);
    assertThat(reprobe.current().capabilities().runtimes()).contains(RuntimeName.NODE);

    register = working;
    Reprobe retried = reprobe.reprobe();

    assertThat(retried.change().disappeared()).containsOnlyKeys(RuntimeName.NODE);
    assertThat(stored().capabilities().runtimes()).doesNotContain(RuntimeName.NODE);
  }

  @Test
  void the_capabilities_registered_are_those_of_the_start_up_with_only_the_runtimes_replaced() {
    ReprobeCapabilitiesService reprobe = started();
    Capabilities before = stored().capabilities();
    probe.loses("python");

    reprobe.reprobe();

    assertThat(stored().capabilities()).isEqualTo(before.toBuilder()
        .runtimes(before.runtimes().stream().filter(r -> !r.equals(RuntimeName.PYTHON)).toList())
        .runtimeVersions(Map.of(RuntimeName.NODE, java.util.List.of(Version.parse("20.1.0")))).build());
  }
}
