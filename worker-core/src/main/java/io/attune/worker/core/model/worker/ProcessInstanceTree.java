package io.attune.worker.core.model.worker;

import io.attune.worker.core.model.tree.TreeReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one codec of a process instance's shape, as stored with a worker's registration:
 * {@code {"id", "host", "boot_id", "pid_namespace", "pid", "started_at"}}, the instant as ISO-8601 text.
 */
public final class ProcessInstanceTree {

  private static final Set<String> KEYS = Set.of("id", "host", "boot_id", "pid_namespace", "pid", "started_at");

  private ProcessInstanceTree() {
  }

  public static Map<String, Object> toTree(ProcessInstance instance) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("id", instance.id());
    tree.put("host", instance.host());
    tree.put("boot_id", instance.bootId());
    tree.put("pid_namespace", instance.pidNamespace());
    tree.put("pid", instance.pid());
    tree.put("started_at", instance.startedAt().toString());
    return tree;
  }

  /** Reads an instance; errors name the source, the path and what was expected. */
  public static ProcessInstance fromTree(TreeReader tree) {
    tree.onlyKeys(KEYS);
    String startedAt = tree.requiredString("started_at");
    Instant started;
    try {
      started = Instant.parse(startedAt);
    } catch (DateTimeParseException bad) {
      throw tree.error(tree.pathOf("started_at") + " = '" + startedAt + "'", "expected an ISO-8601 instant");
    }
    return new ProcessInstance(tree.requiredString("id"), tree.string("host").orElse(""),
        tree.string("boot_id").orElse(""), tree.string("pid_namespace").orElse(""),
        tree.integer("pid").filter(pid -> pid >= 0).orElseThrow(() -> tree.wrong("pid", "expected a process id")),
        started);
  }
}
