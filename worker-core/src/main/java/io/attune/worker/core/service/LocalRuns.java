package io.attune.worker.core.service;

import io.attune.worker.core.model.execution.ExecutionId;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/** The executions this process is running, one run each: a repeated dispatch of one of them finds its run here. */
final class LocalRuns {

  private final Map<ExecutionId, LocalRun> runs = new ConcurrentHashMap<>();

  /** Registers {@code run} for the execution, or returns the run already registered for it. */
  Optional<LocalRun> enter(ExecutionId id, LocalRun run) {
    return Optional.ofNullable(runs.putIfAbsent(id, run));
  }

  /** The run leaves; under its lock, so that a stop either reaches it or finds it gone. */
  void leave(ExecutionId id, LocalRun run) {
    synchronized (run) {
      runs.remove(id, run);
      run.left();
    }
  }

  boolean contains(ExecutionId id) {
    return runs.containsKey(id);
  }

  /** Asks the run of the attempt to stop; false when no run of that attempt is here. */
  boolean stop(ExecutionId id, int attempt) {
    LocalRun run = runs.get(id);
    if (run == null) {
      return false;
    }
    synchronized (run) {
      return runs.get(id) == run && run.stop(attempt);
    }
  }

  /** Whether a stop of the execution running here was requested already. */
  boolean stopping(ExecutionId id) {
    LocalRun run = runs.get(id);
    return run != null && run.stopping();
  }

  /** Each run that could still be taken from this worker, with its attempt. */
  void forEachLive(BiConsumer<ExecutionId, Integer> action) {
    runs.forEach((id, run) -> {
      OptionalInt attempt = run.liveAttempt();
      if (attempt.isPresent()) {
        action.accept(id, attempt.getAsInt());
      }
    });
  }
}
