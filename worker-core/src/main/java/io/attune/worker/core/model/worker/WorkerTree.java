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
 * "capabilities", "gpus_in_use"}}; {@code gpus_in_use} (default 0) is written for a worker with GPUs only. Reading takes what placement needs; {@code runtimes}, {@code runtime_versions},
 * {@code max_concurrent_executions} and {@code heartbeat_age_seconds} are views of the others and are not read.
 */
public final class WorkerTree {

  private static final Set<String> KEYS = Set.of("name", "type", "status", "cordoned", "runtimes", "runtime_versions",
      "running", "max_concurrent_executions", "heartbeat_age_seconds", "last_heartbeat", "heartbeat_interval_seconds",
      "capabilities", "gpus_in_use");

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
    if (!worker.capabilities().gpus().isEmpty() || worker.gpusInUse() > 0) {
      tree.put("gpus_in_use", worker.gpusInUse());
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
    int gpusInUse = tree.integer("gpus_in_use", 0, Integer.MAX_VALUE).orElse(0);
    TreeReader caps = tree.object("capabilities").orElseGet(() -> TreeReader.of(Map.of(), tree.source(),
        tree.pathOf("capabilities")));
    try {
      return new Worker(id, name, type, "", status, tree.bool("cordoned").orElse(false),
          CapabilityTree.fromTree(caps), Duration.ofSeconds(interval), lastHeartbeat, running, gpusInUse);
    } catch (IllegalArgumentException invalid) {
      throw tree.error(tree.pathOf("name") + " = '" + name + "'", invalid.getMessage());
    }
  }
}
