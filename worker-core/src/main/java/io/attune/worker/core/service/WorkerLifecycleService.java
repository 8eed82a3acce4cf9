package io.attune.worker.core.service;

import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.port.in.CordonWorkerUseCase;
import io.attune.worker.core.port.in.DeregisterWorkerUseCase;
import io.attune.worker.core.port.in.HeartbeatUseCase;
import io.attune.worker.core.port.in.RegisterWorkerUseCase;
import io.attune.worker.core.port.out.WorkerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Registration, heartbeats, shutdown and cordon of workers. */
public final class WorkerLifecycleService
    implements RegisterWorkerUseCase, HeartbeatUseCase, DeregisterWorkerUseCase, CordonWorkerUseCase {

  private final WorkerRegistry registry;
  private final Clock clock;

  public WorkerLifecycleService(WorkerRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  @Override
  public Worker register(WorkerRegistration registration) {
    return registry.register(registration, clock.instant());
  }

  @Override
  public boolean heartbeat(WorkerId worker) {
    return registry.heartbeat(worker, clock.instant());
  }

  @Override
  public void deregister(WorkerId worker) {
    registry.markInactive(worker);
  }

  /**
   * Removes the workers gone for longer than {@code longerThan} (inactive or stale, holding nothing).
   *
   * @return their names
   */
  public List<String> prune(Duration longerThan) {
    return registry.prune(clock.instant(), longerThan);
  }

  /** The first step of a shutdown: the worker takes no new work; what it runs may finish. */
  public boolean startDraining(WorkerId worker) {
    return registry.markDraining(worker);
  }

  @Override
  public Optional<Worker> cordon(String name) {
    return registry.setCordoned(name, true);
  }

  @Override
  public Optional<Worker> uncordon(String name) {
    return registry.setCordoned(name, false);
  }
}
