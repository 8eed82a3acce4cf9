package io.attune.worker.core.adapter.out.memory;

import io.attune.worker.core.model.placement.Fleet;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.rule.PlacementRules;
import io.attune.worker.core.model.placement.rule.ResourceKinds;
import io.attune.worker.core.model.worker.NameHolder;
import io.attune.worker.core.model.worker.ProcessInstance;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerBeat;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.port.out.WorkerChanges;
import io.attune.worker.core.port.out.WorkerDirectory;
import io.attune.worker.core.port.out.WorkerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A thread-safe worker registry in memory, for services that embed the core without a database. It also keeps
 * each worker's reserved capacity for {@link InMemoryExecutionStore}, and feeds the changes of its workers to views.
 */
public final class InMemoryWorkerRegistry implements WorkerRegistry, WorkerDirectory, WorkerChanges {

  /** How many removals the feed remembers; a reader further behind loads everything again. */
  static final int REMEMBERED_REMOVALS = 10_000;

  private final Object lock = new Object();
  private final Map<WorkerId, Worker> byId = new HashMap<>();
  private final Map<String, WorkerId> idByName = new HashMap<>();
  /** The process that claimed each worker's name last, for those registered with one. */
  private final Map<WorkerId, ProcessInstance> instances = new HashMap<>();
  private long nextId = 1;
  /** The placement index, built on first use and then kept current worker by worker. */
  private Fleet fleet;
  /** The position of the last change; every change of a worker or removal takes the next one. */
  private long changes;
  private final Map<WorkerId, Long> changedAt = new HashMap<>();
  private final Deque<Removal> removals = new ArrayDeque<>();
  /** Removals at or before this position are forgotten. */
  private long forgottenThrough;

  private record Removal(long position, WorkerId worker) {
  }

  @Override
  public Worker register(WorkerRegistration registration, Instant now) {
    synchronized (lock) {
      WorkerId existing = idByName.get(registration.name());
      Worker worker = existing == null
          ? Worker.registered(new WorkerId(nextId++), registration, now)
          : byId.get(existing).reregistered(registration, now);
      put(worker);
      registration.instance().ifPresent(process -> instances.put(worker.id(), process));
      return worker;
    }
  }

  @Override
  public Optional<Worker> claim(WorkerRegistration registration, Optional<NameHolder> expected, Instant now) {
    synchronized (lock) {
      Optional<NameHolder> current = holderOf(registration.name());
      boolean ours = current.flatMap(NameHolder::instance).map(ProcessInstance::id)
          .equals(registration.instance().map(ProcessInstance::id)) && registration.instance().isPresent();
      boolean asJudged = current.isPresent() && expected.isPresent()
          && current.get().instance().map(ProcessInstance::id).equals(expected.get().instance()
              .map(ProcessInstance::id))
          && current.get().lastHeartbeat().equals(expected.get().lastHeartbeat());
      if (current.isPresent() && !ours && !asJudged) {
        return Optional.empty();
      }
      return Optional.of(register(registration, now));
    }
  }

  @Override
  public Optional<NameHolder> holderOf(String name) {
    synchronized (lock) {
      return byName(name).map(w -> new NameHolder(w.id(), w.name(), Optional.ofNullable(instances.get(w.id())),
          w.status(), w.lastHeartbeatAt(), w.heartbeatInterval()));
    }
  }

  @Override
  public WorkerBeat.Outcome heartbeat(WorkerBeat beat, Instant now) {
    synchronized (lock) {
      Worker worker = byId.get(beat.worker());
      if (worker == null) {
        return WorkerBeat.Outcome.UNKNOWN_WORKER;
      }
      ProcessInstance holder = instances.get(beat.worker());
      if (beat.instance().isPresent() && holder != null && !holder.id().equals(beat.instance().get())) {
        return WorkerBeat.Outcome.NAME_TAKEN;
      }
      put(worker.withHeartbeat(now).withStatus(worker.status().afterBeat(beat.takingWork())));
      return WorkerBeat.Outcome.RECORDED;
    }
  }

  @Override
  public boolean markInactive(WorkerId id) {
    synchronized (lock) {
      Worker worker = byId.get(id);
      if (worker == null || worker.status() == WorkerStatus.INACTIVE) {
        return false;
      }
      put(worker.withStatus(WorkerStatus.INACTIVE));
      return true;
    }
  }

  @Override
  public boolean markInactiveIfStale(WorkerId id, Instant now) {
    synchronized (lock) {
      Worker worker = byId.get(id);
      if (worker == null || worker.status() == WorkerStatus.INACTIVE || worker.isFresh(now)) {
        return false;
      }
      put(worker.withStatus(WorkerStatus.INACTIVE));
      return true;
    }
  }

  @Override
  public List<String> prune(Instant now, Duration goneFor) {
    synchronized (lock) {
      Instant cutoff = now.minus(goneFor);
      List<Worker> gone = byId.values().stream()
          .filter(w -> w.running() == 0 && w.isLost(now)
              && w.lastHeartbeatAt().map(beat -> !beat.isAfter(cutoff)).orElse(true))
          .sorted(Comparator.comparing(Worker::name)).toList();
      gone.forEach(w -> {
        byId.remove(w.id());
        idByName.remove(w.name());
        changedAt.remove(w.id());
        instances.remove(w.id());
        removals.addLast(new Removal(++changes, w.id()));
        if (removals.size() > REMEMBERED_REMOVALS) {
          forgottenThrough = removals.removeFirst().position();
        }
      });
      if (!gone.isEmpty()) {
        fleet = null; // rebuilt on the next read
      }
      return gone.stream().map(Worker::name).toList();
    }
  }

  @Override
  public boolean markDraining(WorkerId id) {
    synchronized (lock) {
      Worker worker = byId.get(id);
      if (worker == null || !(worker.isActive() || worker.status() == WorkerStatus.ERROR)) {
        return false;
      }
      put(worker.withStatus(WorkerStatus.DRAINING));
      return true;
    }
  }

  @Override
  public Optional<Worker> setCordoned(String name, boolean cordoned) {
    synchronized (lock) {
      WorkerId id = idByName.get(name);
      return id == null ? Optional.empty() : update(id, w -> w.withCordoned(cordoned));
    }
  }

  @Override
  public Optional<Worker> byId(WorkerId id) {
    synchronized (lock) {
      return Optional.ofNullable(byId.get(id));
    }
  }

  @Override
  public Optional<Worker> byName(String name) {
    synchronized (lock) {
      WorkerId id = idByName.get(name);
      return id == null ? Optional.empty() : Optional.of(byId.get(id));
    }
  }

  @Override
  public List<Worker> all() {
    synchronized (lock) {
      return byId.values().stream().sorted(Comparator.comparing(Worker::name)).toList();
    }
  }

  @Override
  public Fleet candidatesFor(ActionRequirements action) {
    synchronized (lock) {
      if (fleet == null) {
        fleet = Fleet.of(byId.values());
      }
      return fleet;
    }
  }

  @Override
  public List<Worker> staleActive(Instant now) {
    synchronized (lock) {
      return byId.values().stream().filter(w -> w.status() != WorkerStatus.INACTIVE && !w.isFresh(now))
          .sorted(Comparator.comparing(Worker::name)).toList();
    }
  }

  @Override
  public Snapshot snapshot() {
    synchronized (lock) {
      return new Snapshot(List.copyOf(byId.values()), changes);
    }
  }

  @Override
  public Changes since(long position) {
    synchronized (lock) {
      if (position < forgottenThrough) {
        return Changes.incomplete(changes);
      }
      List<Worker> changed = new ArrayList<>();
      changedAt.forEach((id, at) -> {
        if (at > position) {
          changed.add(byId.get(id));
        }
      });
      List<WorkerId> removed = removals.stream().filter(r -> r.position() > position).map(Removal::worker).toList();
      return new Changes(changed, removed, changes, true);
    }
  }

  /**
   * Takes what an execution of the action reserves of every resource kind (a slot, its GPUs, ...); false when the
   * worker is unknown, takes no work at {@code now} (not active, cordoned, or stale), or has too little of a kind free.
   */
  boolean tryReserve(WorkerId id, ActionRequirements action, Instant now) {
    synchronized (lock) {
      Worker worker = byId.get(id);
      if (worker == null || !PlacementRules.takesNewWork(worker, now) || !ResourceKinds.fit(action, worker)) {
        return false;
      }
      put(worker.withReserved(worker.reserved().plus(ResourceKinds.demand(action))));
      return true;
    }
  }

  /** Gives back what an execution of these requirements reserved. */
  void release(WorkerId id, ActionRequirements action) {
    update(id, w -> w.withReserved(w.reserved().minus(ResourceKinds.demand(action))));
  }

  private Optional<Worker> update(WorkerId id, java.util.function.UnaryOperator<Worker> change) {
    synchronized (lock) {
      Worker worker = byId.get(id);
      if (worker == null) {
        return Optional.empty();
      }
      Worker changed = change.apply(worker);
      put(changed);
      return Optional.of(changed);
    }
  }

  private void put(Worker worker) {
    byId.put(worker.id(), worker);
    changedAt.put(worker.id(), ++changes);
    idByName.put(worker.name(), worker.id());
    // heartbeats, reservations and releases change one worker: update the index rather than rebuild it
    if (fleet != null) {
      fleet = fleet.replacing(worker);
    }
  }
}
