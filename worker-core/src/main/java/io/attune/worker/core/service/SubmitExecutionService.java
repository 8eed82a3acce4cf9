package io.attune.worker.core.service;

import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.action.ParameterCap;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.port.in.SubmitExecutionUseCase;
import io.attune.worker.core.port.out.ActionCatalog;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionRecords;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a request against the action's declaration and the parameter cap, records it as a requested execution and
 * announces it, so that a scheduler places it without waiting for its next sweep.
 */
public final class SubmitExecutionService implements SubmitExecutionUseCase {

  private final ExecutionRecords executions;
  private final Clock clock;
  private final SubmissionCheck check;
  private final ExecutionEvents events;

  public SubmitExecutionService(ActionCatalog catalog, ExecutionRecords executions, Clock clock, ParameterCap cap,
      ExecutionEvents events) {
    this.executions = Objects.requireNonNull(executions, "executions");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.check = new SubmissionCheck(catalog, cap);
    this.events = Objects.requireNonNull(events, "events");
  }

  @Override
  public Submission submit(String actionRef, Map<String, Object> parameters) {
    SubmissionCheck.Verdict verdict = check.check(actionRef, parameters);
    if (verdict instanceof SubmissionCheck.Verdict.Refused refused) {
      return refused.why();
    }
    SubmissionCheck.Verdict.Valid valid = (SubmissionCheck.Verdict.Valid) verdict;
    Execution requested = executions.create(new ExecutionRequest(valid.action().requirements(), valid.parameters()),
        clock.instant());
    try {
      events.requested(requested);
      return new Submission.Accepted(requested);
    } catch (InfrastructureException notAnnounced) {
      return new Submission.Accepted(requested, Optional.of(notAnnounced.getMessage()));
    }
  }
}
