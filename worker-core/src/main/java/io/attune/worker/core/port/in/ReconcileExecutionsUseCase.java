package io.attune.worker.core.port.in;

import io.attune.worker.core.model.execution.Execution;
import java.util.List;

/**
 * The scheduler's periodic pass over executions that no message will move on: waiting ones are placed or, once they
 * have waited longer than the scheduling timeout since they were last queued, abandoned; scheduled ones whose
 * dispatch was evidently lost are queued again.
 */
public interface ReconcileExecutionsUseCase {

  Sweep sweep();

  /** What one pass did. */
  record Sweep(List<ScheduleExecutionUseCase.Scheduling> placements, List<Execution> abandoned,
      List<Execution> requeued) {
    public Sweep {
      placements = List.copyOf(placements);
      abandoned = List.copyOf(abandoned);
      requeued = List.copyOf(requeued);
    }
  }
}
