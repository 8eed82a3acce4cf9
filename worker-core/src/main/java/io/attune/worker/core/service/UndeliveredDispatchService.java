package io.attune.worker.core.service;

import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.port.in.UndeliveredDispatchUseCase;
import io.attune.worker.core.port.out.AttemptRecovery;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import java.time.Clock;
import java.util.Objects;

/**
 * Gives the slot of an undelivered dispatch back and queues the execution again: what the scheduler does when a
 * dispatch fails at once, for a failure the transport learns of later. An undelivered dispatch is a redelivery, not a
 * run; past {@link AttemptLimits#maxRedeliveries()} the execution is abandoned instead of being placed again and
 * again (a worker whose queue is gone returns every dispatch until its next heartbeat marks it in error).
 */
public final class UndeliveredDispatchService implements UndeliveredDispatchUseCase {

  private final AttemptRecovery executions;
  private final Clock clock;
  private final ExecutionObserver observer;
  private final Ends ends;
  private final AttemptLimits limits;

  /**
   * @param limits the redelivery bound
   * @param events told of every execution abandoned because its dispatch failed once too often
   */
  public UndeliveredDispatchService(AttemptRecovery executions, Clock clock, ExecutionObserver observer,
      AttemptLimits limits, ExecutionEvents events) {
    this.ends = new Ends(observer, events);
    this.executions = Objects.requireNonNull(executions, "executions");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.observer = Objects.requireNonNull(observer, "observer");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  @Override
  public Transition undelivered(Execution dispatched, Worker worker, String reason) {
    observer.dispatchFailed(dispatched, reason);
    Transition requeued = executions.requeueUndelivered(dispatched.id(), dispatched.attempt(),
        "dispatch to " + worker.name() + " failed: " + reason, clock.instant());
    if (!requeued.applied() || requeued.execution().status() != ExecutionStatus.REQUESTED) {
      return requeued;
    }
    AttemptLimits.Verdict verdict = limits.afterLoss(dispatched);
    if (verdict.retry()) {
      observer.executionRedelivered(requeued.execution());
      return requeued;
    }
    // waiting again, as the rule of waiting executions gives up on them: in one step on the stored row
    Transition abandoned = executions.recover(dispatched.id(), dispatched.attempt(), false, "dispatch to "
        + worker.name() + " failed: " + reason + "; " + verdict.words(), clock.instant());
    if (abandoned.applied() && abandoned.execution().status().isTerminal()) {
      ends.ended(abandoned.execution());
      return abandoned;
    }
    return requeued;
  }
}
