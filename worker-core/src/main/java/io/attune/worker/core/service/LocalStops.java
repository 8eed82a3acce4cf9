package io.attune.worker.core.service;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.in.StopExecutionUseCase;
import io.attune.worker.core.port.out.WorkerRuns;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stopping side of {@link RunExecutionService}: which runs of this process are to end, found in the store (a
 * cancel that was requested, an attempt taken from this worker), and the stop of each through its {@link LocalRun}.
 * A record only to spare the fields and constructor of its three parts; it is no value.
 */
record LocalStops(WorkerRuns executions, LocalRuns runningHere, Clock clock) {

  /** See {@link StopExecutionUseCase#stopCancelled}. */
  List<ExecutionId> stopCancelled(WorkerId self) {
    List<ExecutionId> stopped = new ArrayList<>();
    for (Execution held : executions.heldBy(self)) {
      if (!held.cancelPending() || held.status() != ExecutionStatus.RUNNING || runningHere.stopping(held.id())) {
        continue;
      }
      if (runningHere.stop(held.id(), held.attempt())) {
        stopped.add(held.id());
      } else if (!runningHere.contains(held.id()) && executions.finish(held, ExecutionStatus.CANCELLED,
          ExecutionResult.message("cancelled on request: no process of this worker ran it any more"),
          clock.instant()).applied()) {
        // the store says it runs here, but no thread does: an earlier process of this worker was lost with it
        stopped.add(held.id());
      }
    }
    return stopped;
  }

  /** See {@link StopExecutionUseCase#stopWhatIsNoLongerHeld}. */
  List<ExecutionId> stopWhatIsNoLongerHeld(WorkerId self) {
    List<ExecutionId> stopped = new ArrayList<>();
    runningHere.forEachLive((id, attempt) -> {
      Optional<Execution> stored = executions.find(id);
      if (stored.isPresent() && takenFrom(stored.get(), attempt, self) && runningHere.stop(id, attempt)) {
        stopped.add(id);
      }
    });
    return stopped;
  }

  /**
   * True when the run of {@code attempt} here may no longer go on: the execution ended, or a later attempt runs (on
   * another worker, or here without having taken this run over). A requeued execution, or a later attempt placed but
   * not started, leaves the run alone: should it end first, its outcome ends the execution.
   */
  static boolean takenFrom(Execution stored, int attempt, WorkerId self) {
    if (stored.status().isTerminal()) {
      return true;
    }
    return stored.status() == ExecutionStatus.RUNNING
        && (stored.attempt() != attempt || !stored.worker().equals(Optional.of(self)));
  }
}
