package io.attune.worker.core.service;

import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.WorkerCensus;
import io.attune.worker.core.port.in.MeasureFleetUseCase;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionQueue;
import io.attune.worker.core.port.out.WorkerLookup;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Counts the waiting executions per runtime and the workers by status and runtime, and reports them to the
 * observer. A runtime that had waiting executions and has none now is reported with 0 rather than left out, so that
 * a gauge read by an autoscaler falls back to 0 instead of keeping its last value or vanishing; likewise for groups
 * of workers. Thread-safe: one count at a time.
 */
public final class MeasureFleetService implements MeasureFleetUseCase {

  private final ExecutionQueue executions;
  private final WorkerLookup workers;
  private final ExecutionObserver observer;
  private final Set<RuntimeName> runtimesSeen = new HashSet<>();
  private final Set<WorkerCensus.Group> groupsSeen = new HashSet<>();

  /**
   * @param workers where the workers are counted: the registry's directory (a scheduler's fleet view reads it too)
   */
  public MeasureFleetService(ExecutionQueue executions, WorkerLookup workers, ExecutionObserver observer) {
    this.executions = Objects.requireNonNull(executions, "executions");
    this.workers = Objects.requireNonNull(workers, "workers");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  @Override
  public synchronized Measurement measure() {
    Map<RuntimeName, Long> waiting = withZeros(executions.waitingByRuntime(), runtimesSeen);
    WorkerCensus census = new WorkerCensus(withZeros(WorkerCensus.of(workers.all()).counts(), groupsSeen));
    observer.waitingCounted(waiting);
    observer.workersCounted(census);
    return new Measurement(waiting, census);
  }

  /** The counts, plus a 0 for every key counted before and absent now; remembers the keys. */
  private static <K> Map<K, Long> withZeros(Map<K, Long> counts, Set<K> seen) {
    seen.addAll(counts.keySet());
    Map<K, Long> all = new HashMap<>();
    seen.forEach(key -> all.put(key, 0L));
    all.putAll(counts);
    return Map.copyOf(all);
  }
}
