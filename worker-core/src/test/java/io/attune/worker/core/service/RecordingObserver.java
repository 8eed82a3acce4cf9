package io.attune.worker.core.service;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.placement.rule.RejectionCode;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.WorkerCensus;
import io.attune.worker.core.port.out.ExecutionObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** An observer that writes down every call, as a line, for the tests of the services that call it. */
final class RecordingObserver implements ExecutionObserver {

  final List<String> decisions = new CopyOnWriteArrayList<>();
  final List<String> started = new CopyOnWriteArrayList<>();
  final List<String> ended = new CopyOnWriteArrayList<>();
  final List<String> dispatchFailures = new CopyOnWriteArrayList<>();
  final List<String> unpublished = new CopyOnWriteArrayList<>();
  final List<Map<RuntimeName, Long>> waiting = new CopyOnWriteArrayList<>();
  final List<WorkerCensus> censuses = new CopyOnWriteArrayList<>();
  int decisionsStarted;

  @Override
  public synchronized Decision decisionStarted() {
    decisionsStarted++;
    return decision -> decisions.add(decision.outcome().wireName() + " "
        + decision.reasons().stream().map(RejectionCode::wireName).sorted().toList());
  }

  @Override
  public void executionStarted(Execution execution, Duration sinceSubmission) {
    started.add(execution.id() + " attempt " + execution.attempt() + " after " + sinceSubmission);
  }

  @Override
  public void executionEnded(Execution execution) {
    ended.add(execution.id() + " " + execution.requirements().runtime() + " " + execution.status().wireName());
  }

  @Override
  public void dispatchFailed(Execution execution, String reason) {
    dispatchFailures.add(execution.id() + ": " + reason);
  }

  @Override
  public void resultNotPublished(ExecutionId id, String reason) {
    unpublished.add(id + ": " + reason);
  }

  @Override
  public void waitingCounted(Map<RuntimeName, Long> waitingByRuntime) {
    waiting.add(waitingByRuntime);
  }

  @Override
  public void workersCounted(WorkerCensus census) {
    censuses.add(census);
  }
}
