package io.attune.worker.core.model.worker;

import io.attune.worker.core.model.capability.CapabilityTree;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.tree.TreeReader;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one codec of a worker's shape, shared by {@code workers --json} (which writes it) and {@code explain --workers}
 * (which reads it), so that the output of the one is valid input of the other:
 * {@code {"name", "type", "status", "cordoned", "runtimes", "runtime_versions", "running",
 * "max_concurrent_executions", "heartbeat_age_seconds", "last_heartbeat", "heartbeat_interval_seconds",
 * "capabilities", "reserved"}}; {@code running} is the slots its executions hold and {@code reserved} (written when
 * not empty, default none) what they hold of the other resource kinds, by counter ({@link Reservations}), such as
 * {@code {"gpus": 1}}; {@code gpus_in_use}, the GPUs' count before there were other kinds, is still read. Reading
 * takes what placement needs; {@code runtimes}, {@code runtime_versions},
 * {@code max_concurrent_executions} and {@code heartbeat_age_seconds} are views of the others and are not read.
 */
public final class WorkerTree {

  /** The key that held the GPUs in use before {@code reserved} held every kind, and the counter it stands for. */
  private static final String GPUS_IN_USE = "gpus_in_use";
  private static final String GPUS = "gpus";

  private static final Set<String> KEYS = Set.of("name", "type", "status", "cordoned", "runtimes", "runtime_versions",
      "running", "max_concurrent_executions", "heartbeat_age_seconds", "last_heartbeat", "heartbeat_interval_seconds",
      "capabilities", "reserved", GPUS_IN_USE);

  private WorkerTree() {
  }

  /** The worker as a tree of maps, lists and scalars; {@code now} gives {@code heartbeat_age_seconds}. */
  public static Map<String, Object> toTree(Worker worker, Instant now) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("name", worker.name());
    tree.put("type", worker.type().wireName());
    tree.put("status", worker.status().wireName());
    tree.put("cordoned", worker.cordoned());
    tree.put("runtimes", worker.capabilities().runtimes().stream().map(RuntimeName::value).toList());
    Map<String, Object> versions = new TreeMap<>();
    worker.capabilities().runtimeVersions().forEach((runtime, list) -> versions.put(runtime.value(),
        list.stream().map(Version::toString).toList()));
    tree.put("runtime_versions", versions);
    tree.put("running", worker.running());
    tree.put("max_concurrent_executions", worker.capabilities().maxConcurrentExecutions());
    tree.put("heartbeat_age_seconds", worker.heartbeatAge(now).map(age -> age.toMillis() / 1000.0).orElse(null));
    tree.put("last_heartbeat", worker.lastHeartbeatAt().map(Instant::toString).orElse(null));
    tree.put("heartbeat_interval_seconds", worker.heartbeatInterval().toSeconds());
    tree.put("capabilities", CapabilityTree.toTree(worker.capabilities()));
    Map<String, Object> reserved = reservedTree(worker.reserved());
    reserved.remove(Reservations.SLOTS);
    if (!reserved.isEmpty()) {
      tree.put("reserved", reserved);
    }
    return tree;
  }

  /**
   * Reads a worker; missing fields take their defaults (active, not cordoned, 30 s interval, idle, no heartbeat).
   * Errors name the source, the path and what was expected.
   *
   * @param id the id to give it: trees carry names, not ids
   */
  public static Worker fromTree(TreeReader tree, WorkerId id) {
    tree.onlyKeys(KEYS);
    String name = tree.requiredString("name");
    String statusText = tree.string("status").orElse("active");
    WorkerStatus status = WorkerStatus.parse(statusText).orElseThrow(() -> tree.error(
        tree.pathOf("status") + " = '" + statusText + "'", "expected active, draining, inactive or error"));
    String typeText = tree.string("type").orElse("local");
    WorkerType type = WorkerType.parse(typeText).orElseThrow(() -> tree.error(
        tree.pathOf("type") + " = '" + typeText + "'", "expected local, container or remote"));
    Instant lastHeartbeat = tree.string("last_heartbeat").map(text -> {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException bad) {
        throw tree.error(tree.pathOf("last_heartbeat") + " = '" + text + "'",
            "expected an ISO-8601 instant such as 2026-01-01T12:00:00Z");
      }
    }).orElse(null);
    int interval = tree.integer("heartbeat_interval_seconds", 1, 86_400).orElse(30);
    int running = tree.integer("running", 0, Integer.MAX_VALUE).orElse(0);
    Map<String, Integer> reserved = new TreeMap<>(tree.object("reserved").map(WorkerTree::reserved)
        .orElse(Reservations.NONE).asMap());
    tree.integer(GPUS_IN_USE, 0, Integer.MAX_VALUE).ifPresent(gpus -> reserved.put(GPUS, gpus));
    reserved.put(Reservations.SLOTS, running);
    TreeReader caps = tree.object("capabilities").orElseGet(() -> TreeReader.of(Map.of(), tree.source(),
        tree.pathOf("capabilities")));
    try {
      return new Worker(id, name, type, "", status, tree.bool("cordoned").orElse(false),
          CapabilityTree.fromTree(caps), Duration.ofSeconds(interval), lastHeartbeat,
          Reservations.of(reserved));
    } catch (IllegalArgumentException invalid) {
      throw tree.error(tree.pathOf("name") + " = '" + name + "'", invalid.getMessage());
    }
  }

  /** Reservations as a tree: counter to count, as {@code reserved} and the stores keep them. */
  public static Map<String, Object> reservedTree(Reservations reservations) {
    return new TreeMap<>(reservations.asMap());
  }

  /** Reads {@link #reservedTree}'s shape; a count must be a whole number from 0. */
  public static Reservations reserved(TreeReader counters) {
    Map<String, Integer> counts = new TreeMap<>();
    counters.keys().forEach(counter -> counts.put(counter, counters.integer(counter, 0, Integer.MAX_VALUE)
        .orElse(0)));
    return Reservations.of(counts);
  }
}
