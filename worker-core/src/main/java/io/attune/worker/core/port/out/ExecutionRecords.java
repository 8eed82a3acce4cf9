package io.attune.worker.core.port.out;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionQuery;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.Transition;
import java.time.Instant;
import java.util.List;

/** Executions as people see them: submitted, listed, read and cancelled on request. */
public interface ExecutionRecords extends ExecutionLookup {

  /** Stores a new execution, waiting to be placed. */
  Execution create(ExecutionRequest request, Instant now);

  /** The executions the query asks for, newest (highest id) first. */
  List<Execution> list(ExecutionQuery query);

  /**
   * An operator's cancel, decided by {@link Execution#requestCancel} on the stored execution in one step: one that
   * no process runs for is cancelled (its slot freed), a running one keeps running with the request recorded, for its
   * worker to end. Every later change of the execution is decided with the request in view, so no change decided
   * without it (a requeue, say) can overwrite it.
   *
   * @throws IllegalArgumentException when there is no such execution
   */
  Transition requestCancel(ExecutionId id, String reason, Instant now);
}
