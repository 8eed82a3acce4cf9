package io.attune.worker.core.port.in;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.action.ParameterCap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Someone asks for an action to be run. */
public interface SubmitExecutionUseCase {

  /** Submits the action a reference names as typed ({@code <pack>.<name>}); a reference of another form is unknown. */
  Submission submit(String actionRef, Map<String, Object> parameters);

  /** Accepted with the new execution, or refused with what was wrong. */
  sealed interface Submission {

    /**
     * Stored as requested.
     *
     * @param notAnnounced why the request could not be announced, when it could not: it is stored all the same,
     *     and a scheduler's sweep finds it without the announcement
     */
    record Accepted(Execution execution, Optional<String> notAnnounced) implements Submission {
      public Accepted {
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(notAnnounced, "notAnnounced");
      }

      /** Stored and announced. */
      public Accepted(Execution execution) {
        this(execution, Optional.empty());
      }
    }

    /** Refused before anything was stored: the parameters are larger than the cap ({@link ParameterCap}). */
    record TooLarge(String actionRef, long bytes, long maxBytes) implements Submission {
    }

    record UnknownAction(String actionRef, List<String> known) implements Submission {
      public UnknownAction {
        known = List.copyOf(known);
      }
    }

    record InvalidParameters(String actionRef, List<String> problems) implements Submission {
      public InvalidParameters {
        problems = List.copyOf(problems);
      }
    }
  }
}
