package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.worker.Worker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of workers, indexed for placement.
 *
 * <p>Workers that advertise equal capabilities form one group, so capability rules (runtime, version, labels,
 * taints, affinity) are evaluated once per group instead of once per worker. A fleet of thousands of workers
 * usually has a handful of groups: one per image variant and zone.
 */
public final class Fleet {
  private static final Fleet EMPTY = new Fleet(List.of());
  private static final Comparator<Worker> BY_NAME = Comparator.comparing(Worker::name);

  // No list of all workers is kept beside the groups: a heartbeat would have to copy it, so replacing a worker
  // would cost the whole fleet instead of its group. workers() assembles it for the rare caller.
  private final List<Group> groups;
  private final Map<Capabilities, Integer> groupIndex;
  private final int size;

  private Fleet(List<Worker> sortedWorkers) {
    Map<Capabilities, List<Worker>> byCapabilities = new LinkedHashMap<>();
    for (Worker worker : sortedWorkers) {
      byCapabilities.computeIfAbsent(worker.capabilities(), c -> new ArrayList<>()).add(worker);
    }
    List<Group> built = new ArrayList<>(byCapabilities.size());
    Map<Capabilities, Integer> index = new HashMap<>();
    byCapabilities.forEach((caps, members) -> {
      index.put(caps, built.size());
      built.add(new Group(members.toArray(Worker[]::new)));
    });
    this.groups = List.copyOf(built);
    this.groupIndex = Map.copyOf(index);
    this.size = sortedWorkers.size();
  }

  private Fleet(List<Group> groups, Map<Capabilities, Integer> groupIndex, int size) {
    this.groups = groups;
    this.groupIndex = groupIndex;
    this.size = size;
  }

  /** A fleet of the given workers; names must be unique. */
  public static Fleet of(Collection<Worker> workers) {
    List<Worker> sorted = new ArrayList<>(workers);
    sorted.sort(BY_NAME);
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
        throw new IllegalArgumentException("worker name " + sorted.get(i).name() + " appears twice in a fleet");
      }
    }
    return new Fleet(sorted);
  }

  /**
   * The same fleet with one worker added or changed (matched by name). A change of state (heartbeat, status,
   * cordon, load) copies only that worker's group; a new worker, or one whose capabilities changed, copies the
   * groups it leaves and joins. Groups stay ordered by their first member's name, so the result is the fleet that
   * {@link #of} would build from the same workers, and decides the same way.
   */
  public Fleet replacing(Worker updated) {
    Integer same = groupIndex.get(updated.capabilities());
    if (same != null) {
      int at = groups.get(same).indexOf(updated.name());
      if (at >= 0) {
        List<Group> newGroups = new ArrayList<>(groups);
        newGroups.set(same, groups.get(same).replacing(at, updated));
        return new Fleet(List.copyOf(newGroups), groupIndex, size);
      }
    }
    Optional<Worker> previous = byName(updated.name());
    List<Group> newGroups = new ArrayList<>(groups);
    previous.ifPresent(worker -> leave(newGroups, worker));
    if (same == null) {
      newGroups.add(new Group(new Worker[] {updated}));
    } else {
      Worker[] members = groups.get(same).members();
      newGroups.set(same, new Group(inserted(members, -Arrays.binarySearch(members, updated, BY_NAME) - 1,
          updated)));
    }
    return reordered(newGroups, previous.isPresent() ? size : size + 1);
  }

  /**
   * The same fleet without the worker of this name (itself when there is none); copies only that worker's group.
   */
  public Fleet removing(String name) {
    Optional<Worker> gone = byName(name);
    if (gone.isEmpty()) {
      return this;
    }
    List<Group> newGroups = new ArrayList<>(groups);
    leave(newGroups, gone.get());
    return reordered(newGroups, size - 1);
  }

  /** Takes the worker out of its group in {@code newGroups}, leaving null where the group becomes empty. */
  private void leave(List<Group> newGroups, Worker worker) {
    int group = groupIndex.get(worker.capabilities());
    Worker[] members = groups.get(group).members();
    if (members.length == 1) {
      newGroups.set(group, null);
      return;
    }
    Worker[] left = new Worker[members.length - 1];
    int at = Arrays.binarySearch(members, worker, BY_NAME);
    System.arraycopy(members, 0, left, 0, at);
    System.arraycopy(members, at + 1, left, at, members.length - at - 1);
    newGroups.set(group, new Group(left));
  }

  /**
   * A fleet of changed groups, dropping the emptied ones and ordering them by first member as {@link #of} does: the
   * order matters because decisions rotate through tied workers group by group.
   */
  private static Fleet reordered(List<Group> changedGroups, int size) {
    List<Group> kept = new ArrayList<>(changedGroups.size());
    for (Group group : changedGroups) {
      if (group != null) {
        kept.add(group);
      }
    }
    kept.sort(Comparator.comparing(group -> group.representative().name()));
    Map<Capabilities, Integer> index = new HashMap<>();
    for (int i = 0; i < kept.size(); i++) {
      index.put(kept.get(i).representative().capabilities(), i);
    }
    return new Fleet(List.copyOf(kept), Map.copyOf(index), size);
  }

  private static Worker[] inserted(Worker[] sorted, int at, Worker added) {
    Worker[] result = new Worker[sorted.length + 1];
    System.arraycopy(sorted, 0, result, 0, at);
    result[at] = added;
    System.arraycopy(sorted, at, result, at + 1, sorted.length - at);
    return result;
  }

  /** The fleet without workers. */
  public static Fleet empty() {
    return EMPTY;
  }

  /** Every worker, sorted by name; assembled from the groups on each call, so in O(n log n). */
  public List<Worker> workers() {
    Worker[] all = new Worker[size];
    int at = 0;
    for (Group group : groups) {
      System.arraycopy(group.members(), 0, all, at, group.size());
      at += group.size();
    }
    Arrays.sort(all, BY_NAME);
    return List.of(all);
  }

  public int size() {
    return size;
  }

  /** The number of distinct capability profiles. */
  public int groupCount() {
    return groups.size();
  }

  /** The worker of this name: a binary search in each group. */
  public Optional<Worker> byName(String name) {
    for (Group group : groups) {
      int at = group.indexOf(name);
      if (at >= 0) {
        return Optional.of(group.member(at));
      }
    }
    return Optional.empty();
  }

  List<Group> groups() {
    return groups;
  }

  /**
   * Workers that advertise equal capabilities, sorted by name; the first stands for all in capability rules.
   *
   * <p>Beside the workers, a group keeps what the state rules and the load ranking read of each member in primitive
   * arrays indexed like the members, so that a decision scans thousands of members without loading a single
   * {@link Worker} (each a cache miss away) until it has chosen one. Immutable once built.
   */
  static final class Group {
    private final Worker[] members;
    /** The concurrency limit, one for the whole group since its members advertise equal capabilities. */
    private final int max;
    /** {@link Worker#running()} of each member. */
    private final int[] running;
    /** {@link Worker#gpusInUse()} of each member. */
    private final int[] gpusInUse;
    /** {@link Worker#isActive()} of each member. */
    private final boolean[] active;
    /** {@link Worker#cordoned()} of each member. */
    private final boolean[] cordoned;
    /**
     * The epoch millisecond (floored) in which each member's heartbeat turns stale, {@link Long#MIN_VALUE} when it
     * never sent one; see {@link #isFresh}.
     */
    private final long[] staleFromMillis;

    /** A group of workers with equal capabilities, sorted by name. */
    Group(Worker[] members) {
      this.members = members;
      this.max = members[0].capabilities().maxConcurrentExecutions();
      this.running = new int[members.length];
      this.gpusInUse = new int[members.length];
      this.active = new boolean[members.length];
      this.cordoned = new boolean[members.length];
      this.staleFromMillis = new long[members.length];
      for (int i = 0; i < members.length; i++) {
        record(i, members[i]);
      }
    }

    /** A copy of {@code group} with the member at {@code at} replaced by {@code worker}. */
    private Group(Group group, int at, Worker worker) {
      this.members = group.members.clone();
      this.max = group.max;
      this.running = group.running.clone();
      this.gpusInUse = group.gpusInUse.clone();
      this.active = group.active.clone();
      this.cordoned = group.cordoned.clone();
      this.staleFromMillis = group.staleFromMillis.clone();
      record(at, worker);
    }

    private void record(int at, Worker worker) {
      members[at] = worker;
      running[at] = worker.running();
      gpusInUse[at] = worker.gpusInUse();
      active[at] = worker.isActive();
      cordoned[at] = worker.cordoned();
      staleFromMillis[at] = worker.lastHeartbeat() == null ? Long.MIN_VALUE
          : floorMillis(worker.lastHeartbeat().plus(worker.staleAfter()));
    }

    /** The same group with the member at {@code at} replaced by a worker of the same name: a copy of its size. */
    Group replacing(int at, Worker updated) {
      return new Group(this, at, updated);
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

    int running(int member) {
      return running[member];
    }

    boolean isActive(int member) {
      return active[member];
    }

    boolean cordoned(int member) {
      return cordoned[member];
    }

    boolean hasFreeCapacity(int member) {
      return running[member] < max;
    }

    /** {@link Worker#gpusInUse} of the member, read from the group's array. */
    int gpusInUse(int member) {
      return gpusInUse[member];
    }

    /**
     * {@link Worker#isFresh} of the member, read from its millisecond: a heartbeat that turns stale in a later
     * millisecond than {@code now} is fresh, in an earlier one stale; only within the same millisecond does the
     * worker's exact instant decide.
     */
    boolean isFresh(int member, Instant now) {
      long staleFrom = staleFromMillis[member];
      long nowMillis = floorMillis(now);
      return staleFrom == nowMillis ? members[member].isFresh(now) : staleFrom > nowMillis;
    }

    /** The epoch millisecond of the instant, rounded down, saturated at the ends of {@code long}. */
    private static long floorMillis(Instant instant) {
      long seconds = instant.getEpochSecond();
      if (seconds >= Long.MAX_VALUE / 1000) {
        return Long.MAX_VALUE;
      }
      if (seconds <= Long.MIN_VALUE / 1000) {
        return Long.MIN_VALUE;
      }
      return seconds * 1000 + instant.getNano() / 1_000_000;
    }
  }
}
