package io.attune.worker.bootstrap.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.attune.worker.bootstrap.wiring.HangupSignal;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.CapabilitySource;
import io.attune.worker.core.model.capability.ResolvedCapabilities;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.service.ReprobeCapabilitiesService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What triggers a re-probe (the interval, SIGHUP) and what a change reaches, with a scripted machine. */
class ReprobingTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final AtomicReference<Capabilities> machine = new AtomicReference<>(
      Capabilities.builder().runtime(RuntimeName.SHELL).runtime(RuntimeName.NODE).build());
  private final List<WorkerRegistration> registered = new CopyOnWriteArrayList<>();
  private final List<ResolvedCapabilities> handedOn = new CopyOnWriteArrayList<>();
  private Reprobing reprobing;

  private Reprobing start(CapabilitySource source, Duration interval) {
    WorkerRegistration first = new WorkerRegistration("w-1", WorkerType.LOCAL, "h", machine.get(),
        Duration.ofSeconds(30));
    ReprobeCapabilitiesService service = new ReprobeCapabilitiesService(
        () -> new ResolvedCapabilities(machine.get(), source, List.of(), List.of()),
        registration -> {
          registered.add(registration);
          return null;
        }, first);
    reprobing = Reprobing.start("w-1", source, interval, service, handedOn::add);
    return reprobing;
  }

  @AfterEach
  void stop() {
    if (reprobing != null) {
      reprobing.close();
    }
  }

  @Test
  void a_change_found_on_the_interval_is_registered_and_handed_to_the_runner() {
    start(CapabilitySource.AUTO_DETECT, Duration.ofMillis(20));

    machine.set(Capabilities.builder().runtime(RuntimeName.SHELL).build());

    await().atMost(PATIENCE).until(() -> registered.size() == 1);
    assertThat(registered.get(0).capabilities().runtimes()).containsExactly(RuntimeName.SHELL);
    assertThat(handedOn).hasSize(1);
  }

  @Test
  void sighup_re_probes_even_when_the_interval_is_off() {
    start(CapabilitySource.AUTO_DETECT, Duration.ZERO);
    machine.set(Capabilities.builder().runtime(RuntimeName.SHELL).runtime(RuntimeName.RUBY).build());

    HangupSignal.raise();

    await().atMost(PATIENCE).until(() -> registered.size() == 1);
    assertThat(registered.get(0).capabilities().runtimes()).contains(RuntimeName.RUBY);
  }

  @Test
  void declared_runtimes_are_neither_re_probed_on_the_interval_nor_on_sighup() throws Exception {
    start(CapabilitySource.ENVIRONMENT, Duration.ofMillis(20));
    machine.set(Capabilities.builder().runtime(RuntimeName.SHELL).build());

    HangupSignal.raise();
    // the interval would have run many times by now; nothing may have been registered
    Thread.sleep(200);

    assertThat(registered).isEmpty();
  }

  @Test
  void after_close_no_re_probe_runs_and_sighup_is_ignored() throws Exception {
    start(CapabilitySource.AUTO_DETECT, Duration.ofMillis(20)).close();
    machine.set(Capabilities.builder().runtime(RuntimeName.SHELL).build());

    HangupSignal.raise();
    Thread.sleep(200);

    assertThat(registered).isEmpty();
  }
}
