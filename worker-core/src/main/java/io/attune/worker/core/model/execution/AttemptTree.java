package io.attune.worker.core.model.execution;

import io.attune.worker.core.model.tree.TreeReader;
import io.attune.worker.core.model.worker.WorkerId;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one codec of an attempt's shape, as stored and as {@code executions show --json} prints it (which adds the
 * worker's name): {@code {"attempt", "worker_id", "scheduled_at", "started_at", "ended_at", "outcome", "reason"}},
 * instants as ISO-8601 text, absent ones as null.
 */
public final class AttemptTree {

  private static final Set<String> KEYS = Set.of("attempt", "worker_id", "worker", "scheduled_at", "started_at",
      "ended_at", "outcome", "reason");

  private AttemptTree() {
  }

  /** One attempt as a tree of maps and scalars. */
  public static Map<String, Object> toTree(Attempt attempt) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("attempt", attempt.number());
    tree.put("worker_id", attempt.worker().value());
    tree.put("scheduled_at", attempt.scheduledAt().toString());
    tree.put("started_at", attempt.startedAt().map(Instant::toString).orElse(null));
    tree.put("ended_at", attempt.endedAt().map(Instant::toString).orElse(null));
    tree.put("outcome", attempt.outcome().map(AttemptOutcome::wireName).orElse(null));
    tree.put("reason", attempt.reason());
    return tree;
  }

  /** Every attempt, oldest first. */
  public static List<Object> toTree(List<Attempt> attempts) {
    List<Object> list = new ArrayList<>();
    attempts.forEach(a -> list.add(toTree(a)));
    return list;
  }

  /** Reads one attempt; errors name the source, the path and what was expected. */
  public static Attempt fromTree(TreeReader tree) {
    tree.onlyKeys(KEYS);
    int number = tree.integer("attempt", 1, Integer.MAX_VALUE).orElseThrow(() -> tree.wrong("attempt",
        "expected a positive attempt number"));
    long worker = tree.integer("worker_id").filter(id -> id > 0).orElseThrow(() -> tree.wrong("worker_id",
        "expected a positive worker id"));
    Instant scheduledAt = instant(tree, "scheduled_at").orElseThrow(() -> tree.wrong("scheduled_at",
        "expected an ISO-8601 instant"));
    Optional<AttemptOutcome> outcome = tree.string("outcome").map(text -> AttemptOutcome.parse(text)
        .orElseThrow(() -> tree.error(tree.pathOf("outcome") + " = '" + text + "'",
            "expected succeeded, failed, timed_out, cancelled, abandoned, requeued or superseded")));
    return new Attempt(number, new WorkerId(worker), scheduledAt, instant(tree, "started_at"),
        instant(tree, "ended_at"), outcome, tree.string("reason").orElse(""));
  }

  /** Reads a list of attempts. */
  public static List<Attempt> fromTree(Object list, String source) {
    TreeReader root = TreeReader.of(Map.of("attempts", list == null ? List.of() : list), source, "");
    return root.objects("attempts").stream().map(AttemptTree::fromTree).toList();
  }

  private static Optional<Instant> instant(TreeReader tree, String key) {
    return tree.string(key).map(text -> {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException bad) {
        throw tree.error(tree.pathOf(key) + " = '" + text + "'", "expected an ISO-8601 instant");
      }
    });
  }
}
