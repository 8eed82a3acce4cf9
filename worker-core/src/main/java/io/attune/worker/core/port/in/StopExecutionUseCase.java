package io.attune.worker.core.port.in;

import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.worker.WorkerId;
import java.util.List;

/** A worker ends the executions whose cancel was requested. */
public interface StopExecutionUseCase {

  /**
   * A stop request for the given attempt reached this worker: when it runs here, its process tree is ended (or, not
   * started yet, it never starts) and it is recorded as cancelled. A request for another attempt is ignored.
   *
   * @return true when the attempt runs here and is being stopped
   */
  boolean stop(ExecutionId execution, int attempt);

  /**
   * Looks in the store for the executions this worker holds whose cancel was requested, in case a stop request was
   * missed: stops those running here, and records as cancelled those the store says run on this worker but that no
   * process here runs (an earlier process of the worker was lost with them).
   *
   * @return the executions stopped or recorded as cancelled
   */
  List<ExecutionId> stopCancelled(WorkerId self);

  /**
   * Ends the process trees of the runs here whose attempt was taken from this worker: the execution ended, or a later
   * attempt started (elsewhere, or here without taking the run over), typically while this worker was judged lost. A
   * run whose execution was merely requeued goes on: should it end before another attempt starts, its outcome ends
   * the execution.
   *
   * @return the executions whose runs are being stopped
   */
  List<ExecutionId> stopWhatIsNoLongerHeld(WorkerId self);
}
