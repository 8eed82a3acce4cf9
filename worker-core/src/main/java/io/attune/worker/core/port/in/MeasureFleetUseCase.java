package io.attune.worker.core.port.in;

import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.WorkerCensus;
import java.util.Map;

/**
 * The scheduler's periodic count of what autoscaling and dashboards read: the executions waiting per runtime (the
 * queue depth) and the workers by status and runtime, both from the stores, reported to the execution observer.
 */
public interface MeasureFleetUseCase {

  /** Counts now and reports the counts; a runtime or group counted before and empty now is reported with 0. */
  Measurement measure();

  /**
   * One count.
   *
   * @param waitingByRuntime executions in status {@code requested} per runtime, zeros included as reported
   * @param workers registered workers by status and runtime, zeros included as reported
   */
  record Measurement(Map<RuntimeName, Long> waitingByRuntime, WorkerCensus workers) {
    public Measurement {
      waitingByRuntime = Map.copyOf(waitingByRuntime);
    }
  }
}
