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
    return check(actionRef, parameters) instanceof Verdict.Refused refused ? Optional.of(refused.why())
        : Optional.empty();
  }

  /** The request checked once: refused with why, or valid with its action and its parameters, defaults filled in. */
  Verdict check(String actionRef, Map<String, Object> parameters) {
    Optional<ActionDefinition> action = catalog.find(actionRef);
    if (action.isEmpty()) {
      return new Verdict.Refused(new Submission.UnknownAction(actionRef,
          catalog.all().stream().map(a -> a.ref().toString()).toList()));
    }
    Optional<Long> excess = cap.excess(parameters);
    if (excess.isPresent()) {
      return new Verdict.Refused(new Submission.TooLarge(actionRef, excess.get(), cap.maxBytes()));
    }
    ParameterCheck checked = action.get().check(parameters);
    if (checked instanceof ParameterCheck.Invalid invalid) {
      return new Verdict.Refused(new Submission.InvalidParameters(actionRef, invalid.problems()));
    }
    return new Verdict.Valid(action.get(), ((ParameterCheck.Valid) checked).parameters());
  }

  /** A checked request. */
  sealed interface Verdict {
    record Refused(Submission why) implements Verdict {
    }

    record Valid(ActionDefinition action, Map<String, Object> parameters) implements Verdict {
    }
  }
}
