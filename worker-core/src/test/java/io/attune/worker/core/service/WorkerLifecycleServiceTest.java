package io.attune.worker.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.testkit.MutableClock;
import java.time.Duration;
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
}
