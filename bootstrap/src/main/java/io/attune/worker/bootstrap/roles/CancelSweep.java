package io.attune.worker.bootstrap.roles;

import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.port.in.StopExecutionUseCase;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One look of a running worker at the store for what it runs but should not any more: cancels it missed (a stop
 * request sent while its broker connection was down, or before it subscribed: the store has every request), and runs
 * whose attempt was taken from it (a later attempt started elsewhere while this worker was judged lost, e.g. paused).
 */
final class CancelSweep implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(CancelSweep.class);

  private final StopExecutionUseCase executions;
  private final Worker worker;

  CancelSweep(StopExecutionUseCase executions, Worker worker) {
    this.executions = executions;
    this.worker = worker;
  }

  @Override
  public void run() {
    try {
      List<ExecutionId> stopped = executions.stopCancelled(worker.id());
      if (!stopped.isEmpty()) {
        LOG.info("worker {}: cancel requested of {}, found in the store: stopping", worker.name(), stopped);
      }
      List<ExecutionId> taken = executions.stopWhatIsNoLongerHeld(worker.id());
      if (!taken.isEmpty()) {
        LOG.warn("worker {}: {} taken from this worker (a later attempt runs, or the execution ended): ending their "
            + "process trees", worker.name(), taken);
      }
    } catch (RuntimeException failed) {
      LOG.warn("worker {}: looking for cancelled executions failed: {}", worker.name(), failed.getMessage());
    }
  }
}
