package io.attune.worker.core.service;

import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.port.in.CancelExecutionUseCase;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionRecords;
import io.attune.worker.core.port.out.StopSignals;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Cancels executions: the store decides, in one step, between cancelling at once and recording the request for the
 * worker; the worker of a running one is then told to end it.
 */
public final class CancelExecutionService implements CancelExecutionUseCase {

  /** The message of an execution cancelled before any process ran for it. */
  public static final String REASON = "cancelled on request";

  private final ExecutionRecords executions;
  private final StopSignals signals;
  private final Clock clock;
  private final Ends ends;

  /**
   * @param observer counts, and
   * @param events announce, every execution it cancels before it ran; one that runs ends on its worker, which makes
   *     that end known
   */
  public CancelExecutionService(ExecutionRecords executions, StopSignals signals, Clock clock,
      ExecutionObserver observer, ExecutionEvents events) {
    this.executions = Objects.requireNonNull(executions, "executions");
    this.signals = Objects.requireNonNull(signals, "signals");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ends = new Ends(observer, events);
  }

  @Override
  public Cancellation cancel(ExecutionId id) {
    if (executions.find(id).isEmpty()) {
      return new Cancellation.Unknown(id);
    }
    Transition transition = executions.requestCancel(id, REASON, clock.instant());
    Execution execution = transition.execution();
    if (execution.status() == ExecutionStatus.CANCELLED && transition.applied()) {
      ends.ended(execution);
      return new Cancellation.Cancelled(execution);
    }
    if (execution.status().isTerminal()) {
      return new Cancellation.AlreadyEnded(execution);
    }
    Optional<String> signalFailure = signal(execution);
    return transition.applied() ? new Cancellation.StopRequested(execution, signalFailure)
        : new Cancellation.AlreadyRequested(execution);
  }

  private Optional<String> signal(Execution execution) {
    try {
      signals.requestStop(execution);
      return Optional.empty();
    } catch (InfrastructureException notSent) {
      return Optional.of(notSent.getMessage());
    }
  }
}
