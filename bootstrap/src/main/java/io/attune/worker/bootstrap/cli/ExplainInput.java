package io.attune.worker.bootstrap.cli;

import io.attune.worker.bootstrap.output.Json;
import io.attune.worker.bootstrap.output.Table;
import io.attune.worker.core.model.capability.CapabilityTree;
import io.attune.worker.core.model.placement.ActionRequirements;
import io.attune.worker.core.model.placement.RequirementsTree;
import io.attune.worker.core.model.tree.TreeReader;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.model.worker.WorkerType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the files of the offline {@code explain} command: a workers array and an action object. */
final class ExplainInput {

  private static final Set<String> WORKER_KEYS = Set.of("name", "type", "status", "cordoned", "last_heartbeat",
      "heartbeat_interval_seconds", "running", "capabilities");

  private ExplainInput() {
  }

  static List<Worker> workers(Path file) {
    Object tree = Json.read(file);
    String source = file.toString();
    if (!(tree instanceof List<?> elements)) {
      throw new io.attune.worker.core.error.ConfigurationException(source, "document",
          "expected a JSON array of workers [{\"name\", \"capabilities\", ...}]");
    }
    List<Worker> workers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < elements.size(); i++) {
      TreeReader w = TreeReader.of(elements.get(i), source, "[" + i + "]").onlyKeys(WORKER_KEYS);
      String name = w.requiredString("name");
      if (!names.add(name)) {
        throw w.error(w.pathOf("name") + " = '" + name + "'", "worker names must be unique");
      }
      workers.add(worker(w, i + 1, name));
    }
    return workers;
  }

  private static Worker worker(TreeReader w, long id, String name) {
    String statusText = w.string("status").orElse("active");
    WorkerStatus status = WorkerStatus.parse(statusText).orElseThrow(() -> w.error(
        w.pathOf("status") + " = '" + statusText + "'", "expected active or inactive"));
    String typeText = w.string("type").orElse("local");
    WorkerType type = WorkerType.parse(typeText).orElseThrow(() -> w.error(
        w.pathOf("type") + " = '" + typeText + "'", "expected local, container or remote"));
    Instant lastHeartbeat = w.string("last_heartbeat").map(text -> {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException bad) {
        throw w.error(w.pathOf("last_heartbeat") + " = '" + text + "'",
            "expected an ISO-8601 instant such as 2026-01-01T12:00:00Z");
      }
    }).orElse(null);
    int interval = w.integer("heartbeat_interval_seconds", 1, 86_400).orElse(30);
    int running = w.integer("running", 0, Integer.MAX_VALUE).orElse(0);
    TreeReader caps = w.object("capabilities").orElseGet(() -> TreeReader.of(Map.of(), w.source(),
        w.pathOf("capabilities")));
    try {
      return new Worker(new WorkerId(id), name, type, "", status, w.bool("cordoned").orElse(false),
          CapabilityTree.fromTree(caps), Duration.ofSeconds(interval), lastHeartbeat, running);
    } catch (IllegalArgumentException invalid) {
      throw w.error(w.pathOf("name") + " = '" + name + "'", invalid.getMessage());
    }
  }

  static ActionRequirements action(Path file) {
    return RequirementsTree.fromTree(TreeReader.of(Json.read(file), file.toString(), ""));
  }
}
