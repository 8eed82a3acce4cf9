package io.attune.worker.core.port.out;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.worker.WorkerId;
import java.time.Instant;
import java.util.List;

/** What liveness needs: the executions that lost or restarted workers held, and their recovery. */
public interface LostWorkerRecovery extends AttemptRecovery {

  /** Executions a worker holds (scheduled or running). */
  List<Execution> heldBy(WorkerId worker);

  /** Executions held by workers that are inactive or whose heartbeat is stale at {@code now}. */
  List<Execution> heldByLostWorkers(Instant now);

  /**
   * Like {@link #recover}, but only while the worker holding the attempt is still lost at {@code now} (inactive, stale
   * or gone), checked in the same step as the change: an execution that a worker which came back has meanwhile
   * started or finished is left alone.
   */
  Transition recoverFromLostWorker(ExecutionId id, int attempt, boolean requeue, String reason, Instant now);
}
