package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.worker.Worker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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

  private final List<Worker> workers;
  private final List<Group> groups;

  private Fleet(List<Worker> sortedWorkers) {
    this.workers = List.copyOf(sortedWorkers);
    Map<Capabilities, List<Worker>> byCapabilities = new LinkedHashMap<>();
    for (Worker worker : workers) {
      byCapabilities.computeIfAbsent(worker.capabilities(), c -> new ArrayList<>()).add(worker);
    }
    List<Group> built = new ArrayList<>(byCapabilities.size());
    byCapabilities.forEach((caps, members) -> built.add(new Group(members.toArray(Worker[]::new))));
    this.groups = List.copyOf(built);
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
