package io.attune.worker.core.model.worker;

import io.attune.worker.core.model.runtime.RuntimeName;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How many workers there are by status and runtime: a worker offering several runtimes counts once under each.
 *
 * @param counts the number of workers per group; groups without a worker may be present with 0
 */
public record WorkerCensus(Map<Group, Long> counts) {

  public WorkerCensus {
    counts = Map.copyOf(counts);
  }

  /** Counts the given workers. */
  public static WorkerCensus of(Collection<Worker> workers) {
    Map<Group, Long> counts = new HashMap<>();
    for (Worker worker : workers) {
      for (RuntimeName runtime : worker.capabilities().runtimes()) {
        counts.merge(new Group(worker.status(), runtime), 1L, Long::sum);
      }
    }
    return new WorkerCensus(counts);
  }

  /** The number of workers in the group; 0 when it is absent. */
  public long count(WorkerStatus status, RuntimeName runtime) {
    return counts.getOrDefault(new Group(status, runtime), 0L);
  }

  /** A status and a runtime. */
  public record Group(WorkerStatus status, RuntimeName runtime) {
    public Group {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(runtime, "runtime");
    }
  }
}
