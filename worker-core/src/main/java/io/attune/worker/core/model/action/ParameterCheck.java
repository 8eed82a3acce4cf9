package io.attune.worker.core.model.action;

import java.util.List;
import java.util.Map;

/** The parameters of a request checked against an action's declaration: valid (with defaults filled in) or not. */
public sealed interface ParameterCheck {

  /** Every parameter fits; defaults were added for those not given. */
  record Valid(Map<String, Object> parameters) implements ParameterCheck {
    public Valid {
      parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }
  }

  /** Each problem names the parameter and what was expected. */
  record Invalid(List<String> problems) implements ParameterCheck {
    public Invalid {
      problems = List.copyOf(problems);
    }
  }
}
