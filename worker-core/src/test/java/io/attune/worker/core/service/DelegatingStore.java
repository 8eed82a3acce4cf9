package io.attune.worker.core.service;

import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionQuery;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.out.ExecutionStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An execution store that passes every call on: tests (here and the fleet view's) override the calls whose failure or
 * race they stage.
 */
public abstract class DelegatingStore implements ExecutionStore {
  protected final ExecutionStore delegate;

  protected DelegatingStore(ExecutionStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public Execution create(ExecutionRequest request, Instant now) {
    return delegate.create(request, now);
  }

  @Override
  public Optional<Execution> find(ExecutionId id) {
    return delegate.find(id);
  }

  @Override
  public Assignment assign(ExecutionId id, WorkerId worker, Instant now) {
    return delegate.assign(id, worker, now);
  }

  @Override
  public Transition start(ExecutionId id, int attempt, WorkerId worker, Instant now) {
    return delegate.start(id, attempt, worker, now);
  }

  @Override
  public Transition finish(ExecutionId id, int attempt, ExecutionStatus outcome, ExecutionResult result,
      Instant now) {
    return delegate.finish(id, attempt, outcome, result, now);
  }

  @Override
  public Transition markUnschedulable(ExecutionId id, ExecutionResult explanation, Instant now) {
    return delegate.markUnschedulable(id, explanation, now);
  }

  @Override
  public Transition requeueUndelivered(ExecutionId id, int attempt, String reason, Instant now) {
    return delegate.requeueUndelivered(id, attempt, reason, now);
  }

  @Override
  public Transition recover(ExecutionId id, int attempt, boolean requeue, String reason, Instant now) {
    return delegate.recover(id, attempt, requeue, reason, now);
  }

  @Override
  public Transition recoverFromLostWorker(ExecutionId id, int attempt, boolean requeue, String reason, Instant now) {
    return delegate.recoverFromLostWorker(id, attempt, requeue, reason, now);
  }

  @Override
  public Transition requestCancel(ExecutionId id, String reason, Instant now) {
    return delegate.requestCancel(id, reason, now);
  }

  @Override
  public List<Execution> list(ExecutionQuery query) {
    return delegate.list(query);
  }

  @Override
  public List<Execution> heldBy(WorkerId worker) {
    return delegate.heldBy(worker);
  }

  @Override
  public List<Execution> heldByLostWorkers(Instant now) {
    return delegate.heldByLostWorkers(now);
  }

  @Override
  public List<Execution> waiting(int limit) {
    return delegate.waiting(limit);
  }

  @Override
  public List<Execution> waitingFor(Set<RuntimeName> runtimes, int limit) {
    return delegate.waitingFor(runtimes, limit);
  }

  @Override
  public List<Execution> scheduledBefore(Instant cutoff, int limit) {
    return delegate.scheduledBefore(cutoff, limit);
  }

  @Override
  public Optional<WorkerId> lastSucceededOn(ActionRef action) {
    return delegate.lastSucceededOn(action);
  }
}
