package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.worker.Worker;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A placement with its full explanation: the outcome, the chosen worker and every worker's assessment. */
public record PlacementReport(ActionRef actionRef, PlacementOutcome outcome, Optional<Worker> selected,
    List<WorkerAssessment> workers) {

  public PlacementReport {
    Objects.requireNonNull(actionRef, "actionRef");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(selected, "selected");
    workers = List.copyOf(workers);
    if (selected.isPresent() != (outcome == PlacementOutcome.SELECTED)) {
      throw new IllegalArgumentException("a worker is selected exactly when the outcome is selected");
    }
  }

  /** The assessment of the named worker, if it was assessed. */
  public Optional<WorkerAssessment> assessmentOf(String workerName) {
    return workers.stream().filter(a -> a.worker().name().equals(workerName)).findFirst();
  }
}
