package io.attune.worker.core.port.in;

import java.util.Optional;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.placement.PlacementDecision;
import io.attune.worker.core.model.placement.PlacementReport;
import io.attune.worker.core.model.worker.Worker;

/** Places a requested execution on a worker and hands it over. */
public interface ScheduleExecutionUseCase {

  Scheduling schedule(ExecutionId execution);

  /**
   * Places an execution the caller has just read (the sweep holds its page of waiting executions), without reading
   * it again. The store still decides: an execution placed, cancelled or ended since it was read is skipped.
   */
  default Scheduling schedule(Execution waiting) {
    return schedule(waiting.id());
  }

  /**
   * Why placing is paused right now, if it is: the dispatches it would send cannot be sent (the broker blocks
   * publishers, e.g. during a memory alarm). While paused, an execution is neither placed nor given up on.
   */
  default Optional<String> paused() {
    return Optional.empty();
  }

  /** What scheduling did. */
  sealed interface Scheduling {

    /** The execution this is about. */
    ExecutionId id();

    /** Placed on the worker, its capacity reserved, and handed to it. */
    record Dispatched(Execution execution, Worker worker, PlacementDecision decision) implements Scheduling {
      @Override
      public ExecutionId id() {
        return execution.id();
      }
    }

    /**
     * Every worker that could run it is busy, stale, inactive or cordoned: it stays queued. After losing every race
     * for a slot to other schedulers, the decision is the last one that lost (its outcome says selected).
     */
    record Waiting(Execution execution, PlacementDecision decision) implements Scheduling {
      @Override
      public ExecutionId id() {
        return execution.id();
      }
    }

    /** No worker could ever run it: it failed with the explanation as its result. */
    record Unschedulable(Execution execution, PlacementReport explanation) implements Scheduling {
      @Override
      public ExecutionId id() {
        return execution.id();
      }
    }

    /**
     * Nothing was done: it was not waiting (already placed, ended or unknown), or is not to be placed yet (placing
     * is paused, or a redelivery waits its {@link io.attune.worker.core.model.execution.RedeliveryPace}).
     */
    record Skipped(ExecutionId execution, String reason) implements Scheduling {
      @Override
      public ExecutionId id() {
        return execution;
      }
    }
  }
}
