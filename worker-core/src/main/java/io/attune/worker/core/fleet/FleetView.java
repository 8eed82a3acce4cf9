package io.attune.worker.core.fleet;

import io.attune.worker.core.model.placement.Fleet;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.rule.PlacementRules;
import io.attune.worker.core.model.placement.rule.ResourceKinds;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Reservations;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.out.WorkerChanges;
import io.attune.worker.core.port.out.WorkerDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A scheduler's copy of the fleet, kept in step with the registry through {@link WorkerChanges}: candidates come
 * from memory, and only the workers that changed since the last look are read and re-indexed, instead of every
 * worker offering the runtime on every decision.
 *
 * <p>Rules:
 * <ul>
 *   <li>the copy serves decisions while it is younger than {@code maxStaleness} (by the injected clock); an older one
 *       first catches up with the changes since its position. {@code Duration.ZERO} catches up before every
 *       decision;</li>
 *   <li>every {@code fullReloadEvery} it loads every worker again, a safety net against anything the feed might
 *       have lost; it also does when the feed says it forgot removals the copy has not seen;</li>
 *   <li>{@link #refresh} catches up at once: the scheduler calls it after losing the race for a worker;</li>
 *   <li>only {@link #candidatesFor} is served from the copy. People's reads ({@link #byId}, {@link #byName},
 *       {@link #all}) and {@link #staleActive} go to the registry's directory, so they stay exact.</li>
 * </ul>
 *
 * <p>A copy that is behind never over-commits a worker: the capacity is reserved by
 * {@link io.attune.worker.core.port.out.Placements#assign}, atomically against the stored worker. A stale copy
 * costs at most a lost race and a retry.
 *
 * <p>Wiring with the PostgreSQL adapter (the clock should be the one the scheduler decides with):
 * <pre>{@code
 * WorkerDirectory directory = new FleetView(postgres.workerChanges(), postgres.directory(), clock,
 *     FleetView.DEFAULT_MAX_STALENESS, FleetView.DEFAULT_FULL_RELOAD);
 * new ScheduleExecutionService(directory, postgres.executions(), dispatcher, policy, clock, observer, limits, events);
 * }</pre>
 *
 * <p>Thread-safe: decisions read the current index without locking; catching up is done by one thread at a time,
 * while concurrent decisions use the copy as it is (after the first load, which they wait for; with no staleness
 * allowed, every decision waits for its own catch-up).
 */
public final class FleetView implements WorkerDirectory {

  /** How old the copy may be before a decision catches up first. */
  public static final Duration DEFAULT_MAX_STALENESS = Duration.ofMillis(200);

  /** How often every worker is loaded again. */
  public static final Duration DEFAULT_FULL_RELOAD = Duration.ofSeconds(60);

  private final WorkerChanges feed;
  private final WorkerDirectory registry;
  private final Clock clock;
  private final Duration maxStaleness;
  private final Duration fullReloadEvery;

  private final Object lock = new Object();
  /** Held by the decision that catches up, so that concurrent decisions go on with the copy they have. */
  private final ReentrantLock catchingUp = new ReentrantLock();
  /** The workers of {@link #fleet} by id, to find the name of a removed one. Guarded by {@link #lock}. */
  private final Map<WorkerId, Worker> byId = new HashMap<>();
  /** Guarded by {@link #lock}. */
  private long position;
  /** When the last full load started; null before the first. Guarded by {@link #lock}. */
  private Instant loadedAt;

  private volatile Fleet fleet = Fleet.empty();
  /** When the data of {@link #fleet} was read; null before the first load. */
  private volatile Instant readAt;

  /**
   * A view that loads on its first decision.
   *
   * @param feed the changes of the registry's workers
   * @param registry the directory that answers people's reads and {@link #staleActive}
   * @param clock the clock that dates reads; the scheduler's
   * @param maxStaleness how old the copy may be when a decision uses it; zero or more
   * @param fullReloadEvery how often every worker is loaded again; positive
   */
  public FleetView(WorkerChanges feed, WorkerDirectory registry, Clock clock, Duration maxStaleness,
      Duration fullReloadEvery) {
    this.feed = Objects.requireNonNull(feed, "feed");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxStaleness = Objects.requireNonNull(maxStaleness, "maxStaleness");
    this.fullReloadEvery = Objects.requireNonNull(fullReloadEvery, "fullReloadEvery");
    if (maxStaleness.isNegative()) {
      throw new IllegalArgumentException("maxStaleness must not be negative, was " + maxStaleness);
    }
    if (fullReloadEvery.isZero() || fullReloadEvery.isNegative()) {
      throw new IllegalArgumentException("fullReloadEvery must be positive, was " + fullReloadEvery);
    }
  }

  /** Every worker that could be a candidate, from the copy; catches up first when the copy is too old. */
  @Override
  public Fleet candidatesFor(ActionRequirements action) {
    Instant now = clock.instant();
    Instant read = readAt;
    if (!isTooOld(read, now)) {
      return fleet;
    }
    // one decision catches up; the others decide on the copy there is instead of queueing behind it, except before
    // the first load and when no staleness is allowed at all
    if (read == null || maxStaleness.isZero()) {
      catchingUp.lock();
    } else if (!catchingUp.tryLock()) {
      return fleet;
    }
    try {
      synchronized (lock) {
        if (isTooOld(readAt, now)) {
          catchUp(now);
        }
      }
    } finally {
      catchingUp.unlock();
    }
    return fleet;
  }

  /** Catches up with the registry now, whatever the age of the copy. */
  @Override
  public void refresh() {
    synchronized (lock) {
      catchUp(clock.instant());
    }
  }

  /**
   * Counts what the execution reserves (a slot, its GPUs, ...), which this process is reserving, in the copy at once: concurrent
   * placements then spread over the workers instead of all choosing the one that looked least loaded, and queueing
   * on its row. The next catch-up replaces the count with the stored one; until then it may be one too high.
   */
  @Override
  public void reserved(WorkerId worker, ActionRequirements action) {
    adjust(worker, w -> w.reserved().plus(ResourceKinds.demand(action)));
  }

  /**
   * Gives back a slot counted a moment ago that the store refused. If a catch-up replaced the worker's entry in
   * between, the entry no longer holds the count and this takes one too many, down to zero at most: the copy is then
   * one slot too free until the worker's next change, which costs a placement a second try (the store's reservation
   * checks the row), never an over-commit.
   */
  @Override
  public void unreserved(WorkerId worker, ActionRequirements action) {
    adjust(worker, w -> w.reserved().minus(ResourceKinds.demand(action)));
  }

  private void adjust(WorkerId worker, Function<Worker, Reservations> reserved) {
    synchronized (lock) {
      Worker held = byId.get(worker);
      if (held != null) {
        Worker adjusted = held.withReserved(reserved.apply(held));
        byId.put(worker, adjusted);
        fleet = fleet.replacing(adjusted);
      }
    }
  }

  @Override
  public Optional<Worker> byId(WorkerId id) {
    return registry.byId(id);
  }

  @Override
  public Optional<Worker> byName(String name) {
    return registry.byName(name);
  }

  @Override
  public List<Worker> all() {
    return registry.all();
  }

  @Override
  public List<Worker> staleActive(Instant now) {
    return registry.staleActive(now);
  }

  /**
   * The free slots in the copy by runtime, counting only workers that take new work by the rules on their state
   * ({@link PlacementRules#takesNewWork}: active, not cordoned, heartbeat fresh) with a free slot: what the scheduler
   * reads waiting executions for after a result. A worker offering several runtimes counts its free slots under
   * each, so the figures are an upper bound; placement still applies every rule.
   */
  public Map<RuntimeName, Integer> freeSlotsByRuntime() {
    Instant now = clock.instant();
    Map<RuntimeName, Integer> free = new HashMap<>();
    for (Worker worker : fleet.workers()) {
      int slots = worker.capabilities().maxConcurrentExecutions() - worker.running();
      if (slots > 0 && PlacementRules.takesNewWork(worker, now)) {
        worker.capabilities().runtimes().forEach(runtime -> free.merge(runtime, slots, Integer::sum));
      }
    }
    return free;
  }

  /** The copy as it is, without catching up: for tests and metrics. */
  public Fleet current() {
    return fleet;
  }

  /** The copy serves decisions while it is younger than {@code maxStaleness}. */
  private boolean isTooOld(Instant read, Instant now) {
    return read == null || !read.plus(maxStaleness).isAfter(now);
  }

  /** A full reload is due before the first load and every {@code fullReloadEvery}. */
  private boolean isReloadDue(Instant now) {
    return loadedAt == null || !loadedAt.plus(fullReloadEvery).isAfter(now);
  }

  private void catchUp(Instant now) {
    if (isReloadDue(now)) {
      load(now);
      return;
    }
    WorkerChanges.Changes changes = feed.since(position);
    if (!changes.complete()) {
      load(now);
      return;
    }
    Fleet next = fleet;
    // removals first: a pruned worker's name may already belong to a newly registered one among the changes
    for (WorkerId removed : changes.removed()) {
      Worker gone = byId.remove(removed);
      if (gone != null) {
        next = next.removing(gone.name());
      }
    }
    for (Worker changed : changes.changed()) {
      Worker previous = byId.put(changed.id(), changed);
      if (previous != null && !previous.name().equals(changed.name())) {
        next = next.removing(previous.name());
      }
      next.byName(changed.name()).filter(holder -> !holder.id().equals(changed.id()))
          .ifPresent(holder -> byId.remove(holder.id()));
      next = next.replacing(changed);
    }
    position = changes.position();
    fleet = next;
    readAt = now;
  }

  private void load(Instant now) {
    WorkerChanges.Snapshot snapshot = feed.snapshot();
    byId.clear();
    for (Worker worker : snapshot.workers()) {
      byId.put(worker.id(), worker);
    }
    position = snapshot.position();
    fleet = Fleet.of(snapshot.workers());
    loadedAt = now;
    readAt = now;
  }
}
