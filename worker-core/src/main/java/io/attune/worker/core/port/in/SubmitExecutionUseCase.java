package io.attune.worker.core.port.in;

import io.attune.worker.core.model.execution.Execution;
import java.util.List;
import java.util.Map;

/** Someone asks for an action to be run. */
public interface SubmitExecutionUseCase {

  /** Submits the action a reference names as typed ({@code <pack>.<name>}); a reference of another form is unknown. */
  Submission submit(String actionRef, Map<String, Object> parameters);

  /** Accepted with the new execution, or refused with what was wrong. */
  sealed interface Submission {
    record Accepted(Execution execution) implements Submission {
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
