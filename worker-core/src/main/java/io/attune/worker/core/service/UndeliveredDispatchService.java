package io.attune.worker.core.service;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.port.in.UndeliveredDispatchUseCase;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore;
import java.time.Clock;
import java.util.Objects;

/**
 * Gives the slot of an undelivered dispatch back and queues the execution again: what the scheduler does when a
 * dispatch fails at once, for a failure the transport learns of later.
 */
public final class UndeliveredDispatchService implements UndeliveredDispatchUseCase {

  private final ExecutionStore executions;
  private final Clock clock;
  private final ExecutionObserver observer;

  public UndeliveredDispatchService(ExecutionStore executions, Clock clock) {
    this(executions, clock, ExecutionObserver.NONE);
  }

  /** @param observer told of every undelivered dispatch */
  public UndeliveredDispatchService(ExecutionStore executions, Clock clock, ExecutionObserver observer) {
    this.executions = Objects.requireNonNull(executions, "executions");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  @Override
  public Transition undelivered(Execution dispatched, Worker worker, String reason) {
    observer.dispatchFailed(dispatched, reason);
    return executions.requeueUndelivered(dispatched.id(), dispatched.attempt(),
        "dispatch to " + worker.name() + " failed: " + reason, clock.instant());
  }
}
