package io.attune.worker.core.service;

import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.port.in.RunExecutionUseCase;
import io.attune.worker.core.port.out.ActionCatalog;
import io.attune.worker.core.port.out.ActionRunner;
import io.attune.worker.core.port.out.ExecutionStore;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * The worker side of an execution: claim the start for the current attempt, run the action within the concurrency
 * limit, record the outcome. A start or result for an attempt that was recovered elsewhere is refused.
 */
public final class ExecutionService implements RunExecutionUseCase {

  private final ExecutionStore executions;
  private final ActionCatalog catalog;
  private final ActionRunner runner;
  private final Clock clock;
  private final Semaphore slots;

  public ExecutionService(ExecutionStore executions, ActionCatalog catalog, ActionRunner runner, Clock clock,
      int maxConcurrentExecutions) {
    if (maxConcurrentExecutions < 1) {
      throw new IllegalArgumentException("max concurrent executions must be at least 1, was "
          + maxConcurrentExecutions);
    }
    this.executions = executions;
    this.catalog = catalog;
    this.runner = runner;
    this.clock = clock;
    this.slots = new Semaphore(maxConcurrentExecutions, true);
  }

  @Override
  public Transition run(Execution dispatched) {
    try {
      slots.acquire();
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return executions.finish(dispatched.id(), dispatched.attempt(), ExecutionStatus.CANCELLED,
          ExecutionResult.message("worker shut down before the execution started"), clock.instant());
    }
    try {
      Transition started = executions.start(dispatched.id(), dispatched.attempt(), clock.instant());
      if (!started.applied()) {
        return started;
      }
      Optional<ActionDefinition> action = catalog.find(dispatched.actionRef());
      if (action.isEmpty()) {
        return executions.finish(dispatched.id(), dispatched.attempt(), ExecutionStatus.FAILED,
            ExecutionResult.message("action " + dispatched.actionRef() + " is not installed on this worker"),
            clock.instant());
      }
      ActionRunner.Outcome outcome = runner.run(dispatched.id(), action.get(), dispatched.parameters());
      return executions.finish(dispatched.id(), dispatched.attempt(), outcome.status(), outcome.result(),
          clock.instant());
    } finally {
      slots.release();
    }
  }

  /** Slots free right now, for health reporting. */
  public int freeSlots() {
    return slots.availablePermits();
  }
}
