package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.placement.rule.ResourceKind;
import io.attune.worker.core.model.placement.rule.ResourceKinds;
import io.attune.worker.core.model.worker.Reservations;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerLoad;

/**
 * Workers of a {@link Fleet} that advertise equal capabilities, sorted by name; the first stands for all in
 * capability rules.
 *
 * <p>Beside the workers, a group keeps what the state rules and the load ranking read of each member in primitive
 * arrays indexed like the members, so that a decision scans thousands of members through a {@link Cursor} without
 * loading a single {@link Worker} (each a cache miss away) until it has chosen one. What the members reserve of the
 * kinds not counted per key (slots, GPUs) is kept so, one array per kind; a kind counted per key is read from the
 * member's worker. Immutable once built.
 */
public final class FleetGroup {
  /** The kinds whose reservations are kept in {@link #reserved}, at the same index; the slots first. */
  private static final String[] INDEXED = indexedKinds();

  private final Worker[] members;
  /** The capabilities, one for the whole group; with them what it offers of each resource kind. */
  private final Capabilities capabilities;
  /** The concurrency limit, read on the ranking's path. */
  private final int max;
  /** {@link WorkerLoad#reserved} of each kind of {@link #INDEXED} (the first), of each member (the second index). */
  private final int[][] reserved;
  /** {@link WorkerLoad#isActive()} of each member. */
  private final boolean[] active;
  /** {@link WorkerLoad#cordoned()} of each member. */
  private final boolean[] cordoned;
  /** {@link WorkerLoad#staleFromSecond()} of each member. */
  private final long[] staleFromSecond;
  /** {@link WorkerLoad#staleFromNano()} of each member. */
  private final int[] staleFromNano;

  /** A group of workers with equal capabilities, sorted by name. */
  FleetGroup(Worker[] members) {
    this.members = members;
    this.capabilities = members[0].capabilities();
    this.max = capabilities.maxConcurrentExecutions();
    this.reserved = new int[INDEXED.length][members.length];
    this.active = new boolean[members.length];
    this.cordoned = new boolean[members.length];
    this.staleFromSecond = new long[members.length];
    this.staleFromNano = new int[members.length];
    for (int i = 0; i < members.length; i++) {
      record(i, members[i]);
    }
  }

  /** A copy of {@code group} with the member at {@code at} replaced by {@code worker}. */
  private FleetGroup(FleetGroup group, int at, Worker worker) {
    this.members = group.members.clone();
    this.capabilities = group.capabilities;
    this.max = group.max;
    this.reserved = new int[INDEXED.length][];
    for (int kind = 0; kind < INDEXED.length; kind++) {
      this.reserved[kind] = group.reserved[kind].clone();
    }
    this.active = group.active.clone();
    this.cordoned = group.cordoned.clone();
    this.staleFromSecond = group.staleFromSecond.clone();
    this.staleFromNano = group.staleFromNano.clone();
    record(at, worker);
  }

  private void record(int at, Worker worker) {
    members[at] = worker;
    for (int kind = 0; kind < INDEXED.length; kind++) {
      reserved[kind][at] = worker.reserved(INDEXED[kind], null);
    }
    active[at] = worker.isActive();
    cordoned[at] = worker.cordoned();
    staleFromSecond[at] = worker.staleFromSecond();
    staleFromNano[at] = worker.staleFromNano();
  }

  /** The same group with the member at {@code at} replaced by a worker of the same name: a copy of its size. */
  FleetGroup replacing(int at, Worker updated) {
    return new FleetGroup(this, at, updated);
  }

  /** The position of the member of this name, or a negative number when there is none. */
  int indexOf(String name) {
    int low = 0;
    int high = members.length - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int order = members[mid].name().compareTo(name);
      if (order < 0) {
        low = mid + 1;
      } else if (order > 0) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** The members, sorted by name; not to be modified. */
  Worker[] members() {
    return members;
  }

  Worker representative() {
    return members[0];
  }

  int size() {
    return members.length;
  }

  Worker member(int member) {
    return members[member];
  }

  int max() {
    return max;
  }

  /** The slots the member's executions hold. */
  int running(int member) {
    return reserved[0][member];
  }

  private static String[] indexedKinds() {
    String[] kinds = ResourceKinds.STANDARD.stream().filter(kind -> !kind.keyed()).map(ResourceKind::name)
        .toArray(String[]::new);
    if (kinds.length == 0 || !kinds[0].equals(Reservations.SLOTS)) {
      throw new IllegalStateException("the slots must be the first resource kind, as the ranking reads them");
    }
    return kinds;
  }

  /**
   * A member of a group seen as a {@link WorkerLoad}, read from the group's arrays. It is moved from member to member
   * ({@link #at}), so that a scan allocates nothing; one per decision, as it is not thread-safe.
   */
  public static final class Cursor implements WorkerLoad {
    private FleetGroup group;
    private int member;

    /** Points at the member of the group; returns itself. */
    public Cursor at(FleetGroup group, int member) {
      this.group = group;
      this.member = member;
      return this;
    }

    /** The worker pointed at, for a rule that reads more than its load. */
    Worker worker() {
      return group.members[member];
    }

    @Override
    public boolean isActive() {
      return group.active[member];
    }

    @Override
    public boolean cordoned() {
      return group.cordoned[member];
    }

    @Override
    public long staleFromSecond() {
      return group.staleFromSecond[member];
    }

    @Override
    public int staleFromNano() {
      return group.staleFromNano[member];
    }

    @Override
    public int reserved(String kind, String key) {
      if (key == null) {
        for (int i = 0; i < INDEXED.length; i++) {
          if (INDEXED[i].equals(kind)) {
            return group.reserved[i][member];
          }
        }
      }
      return worker().reserved(kind, key);
    }

    @Override
    public Capabilities capabilities() {
      return group.capabilities;
    }
  }
}
