package io.attune.worker.core.service;

import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ParameterCap;
import io.attune.worker.core.model.action.ParameterCheck;
import io.attune.worker.core.port.in.SubmitExecutionUseCase.Submission;
import io.attune.worker.core.port.out.ActionCatalog;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a request would be refused, decided from the action catalog and the parameter cap alone, without a store:
 * {@link SubmitExecutionService} asks it before storing anything, and a client can ask it before it connects to
 * anything.
 */
public final class SubmissionCheck {

  private final ActionCatalog catalog;
  private final ParameterCap cap;

  public SubmissionCheck(ActionCatalog catalog, ParameterCap cap) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.cap = Objects.requireNonNull(cap, "cap");
  }

  /** Why the request is refused (an unknown action, parameters over the cap or not as declared); empty when not. */
  public Optional<Submission> refusal(String actionRef, Map<String, Object> parameters) {
    Optional<ActionDefinition> action = catalog.find(actionRef);
    if (action.isEmpty()) {
      return Optional.of(new Submission.UnknownAction(actionRef,
          catalog.all().stream().map(a -> a.ref().toString()).toList()));
    }
    Optional<Long> excess = cap.excess(parameters);
    if (excess.isPresent()) {
      return Optional.of(new Submission.TooLarge(actionRef, excess.get(), cap.maxBytes()));
    }
    if (action.get().check(parameters) instanceof ParameterCheck.Invalid invalid) {
      return Optional.of(new Submission.InvalidParameters(actionRef, invalid.problems()));
    }
    return Optional.empty();
  }
}
