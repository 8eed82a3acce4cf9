package io.attune.worker.core.model.execution;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an execution produced.
 *
 * @param exitCode the process exit code, absent when no process ran or it was killed
 * @param stdout captured standard output, capped, with a truncation notice when cut
 * @param stderr captured standard error, capped likewise
 * @param result the structured result: a JSON object printed on standard output, or the placement explanation of an
 *     unschedulable execution; a tree of maps, lists, strings, numbers, booleans and nulls
 * @param message a one-line summary for people, such as why it failed
 */
public record ExecutionResult(Optional<Integer> exitCode, String stdout, String stderr, Map<String, Object> result,
    String message) {

  public ExecutionResult {
    Objects.requireNonNull(exitCode, "exitCode");
    stdout = stdout == null ? "" : stdout;
    stderr = stderr == null ? "" : stderr;
    result = result == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(result));
    message = message == null ? "" : message;
  }

  /** A result with only a message, for executions that never ran a process. */
  public static ExecutionResult message(String message) {
    return new ExecutionResult(Optional.empty(), "", "", null, message);
  }

  /** A result whose structured part is the given tree. */
  public static ExecutionResult structured(Map<String, Object> result, String message) {
    return new ExecutionResult(Optional.empty(), "", "", result, message);
  }

  /** The structured result, if any. */
  public Optional<Map<String, Object>> structured() {
    return Optional.ofNullable(result);
  }
}
