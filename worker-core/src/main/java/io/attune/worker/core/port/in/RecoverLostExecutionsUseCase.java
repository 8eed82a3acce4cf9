package io.attune.worker.core.port.in;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.worker.Worker;
import java.util.List;

/** The liveness monitor: marks stale workers inactive and recovers what they held. */
public interface RecoverLostExecutionsUseCase {

  Recovery recover();

  /** What one pass did. */
  record Recovery(List<Worker> markedInactive, List<Execution> requeued, List<Execution> abandoned) {
    public Recovery {
      markedInactive = List.copyOf(markedInactive);
      requeued = List.copyOf(requeued);
      abandoned = List.copyOf(abandoned);
    }
  }
}
