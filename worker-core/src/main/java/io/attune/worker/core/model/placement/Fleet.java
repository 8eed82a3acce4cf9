package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.worker.Worker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
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

  private final List<Worker> workers;
  private final List<Group> groups;

  private final Map<Capabilities, Integer> groupIndex;

  private Fleet(List<Worker> sortedWorkers) {
    this.workers = List.copyOf(sortedWorkers);
    Map<Capabilities, List<Worker>> byCapabilities = new LinkedHashMap<>();
    for (Worker worker : workers) {
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
  }

  private Fleet(List<Worker> workers, List<Group> groups, Map<Capabilities, Integer> groupIndex) {
    this.workers = workers;
    this.groups = groups;
    this.groupIndex = groupIndex;
  }

  /** A fleet of the given workers; names must be unique. */
  public static Fleet of(Collection<Worker> workers) {
    List<Worker> sorted = new ArrayList<>(workers);
    sorted.sort(Comparator.comparing(Worker::name));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
        throw new IllegalArgumentException("worker name " + sorted.get(i).name() + " appears twice in a fleet");
      }
    }
    return new Fleet(sorted);
  }

  /**
   * The same fleet with one worker's state changed (heartbeat, status, cordon, load): only that worker's group is
   * copied, so a registry can keep its index current without rebuilding it. A worker that is new, or whose
   * capabilities changed, costs a full rebuild.
   */
  public Fleet replacing(Worker updated) {
    int position = Collections.binarySearch(workers, updated, BY_NAME);
    Integer group = groupIndex.get(updated.capabilities());
    if (position < 0 || group == null || !workers.get(position).capabilities().equals(updated.capabilities())) {
      List<Worker> all = new ArrayList<>(workers);
      if (position >= 0) {
        all.set(position, updated);
      } else {
        all.add(-position - 1, updated);
      }
      return new Fleet(all);
    }
    Worker[] allWorkers = workers.toArray(Worker[]::new);
    allWorkers[position] = updated;
    Worker[] members = groups.get(group).members().clone();
    members[Arrays.binarySearch(members, updated, BY_NAME)] = updated;
    List<Group> newGroups = new ArrayList<>(groups);
    newGroups.set(group, new Group(members));
    return new Fleet(List.of(allWorkers), List.copyOf(newGroups), groupIndex);
  }

  /** The fleet without workers. */
  public static Fleet empty() {
    return EMPTY;
  }

  /** Every worker, sorted by name. */
  public List<Worker> workers() {
    return workers;
  }

  public int size() {
    return workers.size();
  }

  /** The number of distinct capability profiles. */
  public int groupCount() {
    return groups.size();
  }

  public Optional<Worker> byName(String name) {
    return workers.stream().filter(w -> w.name().equals(name)).findFirst();
  }

  List<Group> groups() {
    return groups;
  }

  /** Workers that advertise equal capabilities, sorted by name; the first stands for all in capability rules. */
  record Group(Worker[] members) {
    Worker representative() {
      return members[0];
    }
  }
}
