package io.attune.worker.core.service;

import io.attune.worker.core.error.WorkerNameTakenException;
import io.attune.worker.core.model.worker.NameHolder;
import io.attune.worker.core.model.worker.NameOwnership;
import io.attune.worker.core.model.worker.ProcessInstance;
import io.attune.worker.core.model.worker.WorkerBeat;
import io.attune.worker.core.port.out.ProcessTable;
import java.util.Objects;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.port.in.ClaimWorkerNameUseCase;
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
    implements RegisterWorkerUseCase, ClaimWorkerNameUseCase, HeartbeatUseCase, DeregisterWorkerUseCase,
    CordonWorkerUseCase {

  /** How often a claim is judged again when the name's entry changed between judging and claiming. */
  static final int MAX_CLAIM_RACES = 5;

  private final WorkerRegistry registry;
  private final Clock clock;
  private final ProcessTable processes;

  /** A lifecycle whose name claims count every holder on this machine as running (none is judged gone locally). */
  public WorkerLifecycleService(WorkerRegistry registry, Clock clock) {
    this(registry, clock, (pid, startedAt) -> true);
  }

  /** @param processes this machine's process table, for judging whether a name's holder here still runs */
  public WorkerLifecycleService(WorkerRegistry registry, Clock clock, ProcessTable processes) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.processes = Objects.requireNonNull(processes, "processes");
  }

  @Override
  public Worker register(WorkerRegistration registration) {
    if (registration.instance().isEmpty()) {
      return registry.register(registration, clock.instant());
    }
    return registry.claim(registration, Optional.empty(), clock.instant()).orElseThrow(() ->
        new WorkerNameTakenException(registration.name(), registry.holderOf(registration.name())
            .map(holder -> ProcessInstance.describe(holder.instance())).orElse("unknown")));
  }

  /**
   * Judges the name's holder ({@link NameOwnership}) and claims the name in one step with the registry; when the
   * entry changed in between (its holder heartbeat, or another process claimed it first), judges again.
   */
  @Override
  public NameClaim claim(WorkerRegistration registration) {
    ProcessInstance me = registration.instance().orElseThrow(() -> new IllegalArgumentException(
        "a claim of worker name " + registration.name() + " needs the claiming process's instance"));
    for (int race = 0; race < MAX_CLAIM_RACES; race++) {
      Optional<NameHolder> holder = registry.holderOf(registration.name());
      NameOwnership.Claim judged = NameOwnership.judge(holder, me, clock.instant(), processes::isRunning);
      if (judged instanceof NameOwnership.Claim.Held held) {
        return new NameClaim.Held(held.holder(), held.why());
      }
      NameOwnership.Claim.Free free = (NameOwnership.Claim.Free) judged;
      Optional<Worker> claimed = registry.claim(registration, free.from(), clock.instant());
      if (claimed.isPresent()) {
        Optional<NameHolder> takenFrom = free.from().filter(from -> !from.instance().map(ProcessInstance::id)
            .equals(Optional.of(me.id())));
        return new NameClaim.Claimed(claimed.get(), takenFrom, free.why());
      }
    }
    NameHolder holder = registry.holderOf(registration.name()).orElseThrow(() -> new IllegalStateException(
        "worker name " + registration.name() + " kept changing while it was claimed"));
    return new NameClaim.Held(holder, "worker name '" + registration.name() + "' kept being claimed by other "
        + "processes (" + MAX_CLAIM_RACES + " times while this one judged it)");
  }

  @Override
  public boolean heartbeat(WorkerId worker) {
    return registry.heartbeat(worker, clock.instant());
  }

  @Override
  public WorkerBeat.Outcome beat(WorkerBeat beat) {
    return registry.heartbeat(beat, clock.instant());
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
