package io.attune.worker.core.port.out;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.runtime.RuntimeName;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The queue: executions waiting to be placed, and those placed whose dispatch never started. Read by the scheduler's
 * sweep and by the queue depth that autoscaling watches.
 */
public interface ExecutionQueue {

  /** Executions waiting to be placed, oldest submission first. */
  default List<Execution> waiting() {
    return waiting(Integer.MAX_VALUE);
  }

  /** At most {@code limit} executions waiting to be placed, oldest submission first. */
  List<Execution> waiting(int limit);

  /**
   * At most {@code limit} executions waiting to be placed whose action runs on one of {@code runtimes}, oldest
   * submission first: what free slots of those runtimes could take.
   */
  List<Execution> waitingFor(Set<RuntimeName> runtimes, int limit);

  /**
   * How many executions wait to be placed (status {@code requested}), per runtime of their action; a runtime with
   * none waiting is absent. The queue depth autoscaling reads. This default reads every waiting execution; a store
   * should count where the executions are.
   */
  default Map<RuntimeName, Long> waitingByRuntime() {
    return Map.copyOf(waiting().stream().collect(Collectors.groupingBy(e -> e.requirements().runtime(),
        Collectors.counting())));
  }

  /**
   * At most {@code limit} executions that have been scheduled since {@code cutoff} or earlier without starting, longest
   * first: their dispatch was probably lost (a scheduler died between placing and publishing).
   */
  List<Execution> scheduledBefore(Instant cutoff, int limit);
}
