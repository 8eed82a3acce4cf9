package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.worker.Worker;
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
  private final List<FleetGroup> groups;
  private final Map<Capabilities, Integer> groupIndex;
  private final int size;

  private Fleet(List<Worker> sortedWorkers) {
    Map<Capabilities, List<Worker>> byCapabilities = new LinkedHashMap<>();
    for (Worker worker : sortedWorkers) {
      byCapabilities.computeIfAbsent(worker.capabilities(), c -> new ArrayList<>()).add(worker);
    }
    List<FleetGroup> built = new ArrayList<>(byCapabilities.size());
    Map<Capabilities, Integer> index = new HashMap<>();
    byCapabilities.forEach((caps, members) -> {
      index.put(caps, built.size());
      built.add(new FleetGroup(members.toArray(Worker[]::new)));
    });
    this.groups = List.copyOf(built);
    this.groupIndex = Map.copyOf(index);
    this.size = sortedWorkers.size();
  }

  private Fleet(List<FleetGroup> groups, Map<Capabilities, Integer> groupIndex, int size) {
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
        List<FleetGroup> newGroups = new ArrayList<>(groups);
        newGroups.set(same, groups.get(same).replacing(at, updated));
        return new Fleet(List.copyOf(newGroups), groupIndex, size);
      }
    }
    Optional<Worker> previous = byName(updated.name());
    List<FleetGroup> newGroups = new ArrayList<>(groups);
    previous.ifPresent(worker -> leave(newGroups, worker));
    if (same == null) {
      newGroups.add(new FleetGroup(new Worker[] {updated}));
    } else {
      Worker[] members = groups.get(same).members();
      newGroups.set(same, new FleetGroup(inserted(members, -Arrays.binarySearch(members, updated, BY_NAME) - 1,
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
    List<FleetGroup> newGroups = new ArrayList<>(groups);
    leave(newGroups, gone.get());
    return reordered(newGroups, size - 1);
  }

  /** Takes the worker out of its group in {@code newGroups}, leaving null where the group becomes empty. */
  private void leave(List<FleetGroup> newGroups, Worker worker) {
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
    newGroups.set(group, new FleetGroup(left));
  }

  /**
   * A fleet of changed groups, dropping the emptied ones and ordering them by first member as {@link #of} does: the
   * order matters because decisions rotate through tied workers group by group.
   */
  private static Fleet reordered(List<FleetGroup> changedGroups, int size) {
    List<FleetGroup> kept = new ArrayList<>(changedGroups.size());
    for (FleetGroup group : changedGroups) {
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
    for (FleetGroup group : groups) {
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
    for (FleetGroup group : groups) {
      int at = group.indexOf(name);
      if (at >= 0) {
        return Optional.of(group.member(at));
      }
    }
    return Optional.empty();
  }

  /** The capability groups, ordered by their first member's name. */
  public List<FleetGroup> groups() {
    return groups;
  }
}
