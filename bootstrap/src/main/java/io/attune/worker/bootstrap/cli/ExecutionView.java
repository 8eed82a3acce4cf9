package io.attune.worker.bootstrap.cli;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.execution.Attempt;
import io.attune.worker.core.model.execution.AttemptTree;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.out.WorkerDirectory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An execution as the commands show it: the {@code submit --wait --json} object, the same object with times and
 * attempts for {@code executions show}, and a summary row for {@code executions}. Workers are shown by name (looked
 * up once each); a worker removed since by {@code workers prune} shows as null.
 */
final class ExecutionView {

  private final WorkerDirectory directory;
  private final Map<WorkerId, Optional<String>> names = new HashMap<>();

  ExecutionView(WorkerDirectory directory) {
    this.directory = directory;
  }

  /** An execution id as typed on the command line, or exit 2 naming it. */
  static ExecutionId parseId(String text) {
    try {
      long value = Long.parseLong(text.strip());
      if (value > 0) {
        return new ExecutionId(value);
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new ConfigurationException("ID", "'" + text + "'", "expected an execution id: a positive integer, as "
        + "submit prints it");
  }

  /** The worker's name, or null when it holds none or was removed. */
  String workerName(Optional<WorkerId> worker) {
    return worker.flatMap(id -> names.computeIfAbsent(id, k -> directory.byId(k).map(Worker::name))).orElse(null);
  }

  /** {@code {"execution_id", "action", "status", "worker", "attempt", "exit_code", "stdout", "stderr", "result", "message"}}. */
  Map<String, Object> ended(Execution execution) {
    ExecutionResult result = execution.result().orElse(ExecutionResult.message(""));
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("execution_id", execution.id().value());
    tree.put("action", execution.actionRef().toString());
    tree.put("status", execution.status().wireName());
    tree.put("worker", workerName(execution.worker()));
    tree.put("attempt", execution.attempt());
    tree.put("exit_code", result.exitCode().orElse(null));
    tree.put("stdout", result.stdout());
    tree.put("stderr", result.stderr());
    tree.put("result", result.structured().orElse(null));
    tree.put("message", result.message());
    return tree;
  }

  /** {@link #ended} plus its times, a pending cancel and every attempt with its worker's name. */
  Map<String, Object> detailed(Execution execution) {
    Map<String, Object> tree = ended(execution);
    tree.put("requested_at", execution.requestedAt().toString());
    tree.put("started_at", execution.startedAt().map(Instant::toString).orElse(null));
    tree.put("ended_at", execution.endedAt().map(Instant::toString).orElse(null));
    tree.put("cancel_requested_at", execution.cancelRequestedAt().map(Instant::toString).orElse(null));
    tree.put("attempts", execution.attempts().stream().map(this::attempt).toList());
    return tree;
  }

  /** One line of {@code executions --json}: no output, result or attempts. */
  Map<String, Object> summary(Execution execution) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("execution_id", execution.id().value());
    tree.put("action", execution.actionRef().toString());
    tree.put("status", execution.status().wireName());
    tree.put("worker", workerName(execution.worker()));
    tree.put("attempt", execution.attempt());
    tree.put("exit_code", execution.result().flatMap(ExecutionResult::exitCode).orElse(null));
    tree.put("requested_at", execution.requestedAt().toString());
    tree.put("started_at", execution.startedAt().map(Instant::toString).orElse(null));
    tree.put("ended_at", execution.endedAt().map(Instant::toString).orElse(null));
    tree.put("message", execution.result().map(ExecutionResult::message).orElse(""));
    return tree;
  }

  private Map<String, Object> attempt(Attempt attempt) {
    Map<String, Object> tree = new LinkedHashMap<>();
    Map<String, Object> stored = AttemptTree.toTree(attempt);
    tree.put("attempt", stored.remove("attempt"));
    tree.put("worker", workerName(Optional.of(attempt.worker())));
    tree.putAll(stored);
    return tree;
  }

  /** The attempts as table rows: attempt, worker, scheduled, started, ended, outcome, reason. */
  List<Object[]> attemptRows(Execution execution) {
    return execution.attempts().stream().map(a -> new Object[] {a.number(),
        Optional.ofNullable(workerName(Optional.of(a.worker()))).orElse("#" + a.worker()), time(a.scheduledAt()),
        a.startedAt().map(ExecutionView::time).orElse("-"), a.endedAt().map(ExecutionView::time).orElse("-"),
        a.outcome().map(o -> o.wireName()).orElse("-"), a.reason().isEmpty() ? "-" : a.reason()}).toList();
  }

  /** An instant to the second, for tables. */
  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
