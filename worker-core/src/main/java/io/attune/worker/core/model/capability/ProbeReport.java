package io.attune.worker.core.model.capability;

import io.attune.worker.core.model.runtime.RuntimeName;
import java.util.List;
import java.util.Optional;

/** What a runtime probe found: interpreters that answered, and a warning for every binary that did not. */
public record ProbeReport(List<Interpreter> interpreters, List<String> warnings) {
  public ProbeReport {
    interpreters = List.copyOf(interpreters);
    warnings = List.copyOf(warnings);
  }

  /** The report of a probe that was asked nothing. */
  public static ProbeReport empty() {
    return new ProbeReport(List.of(), List.of());
  }

  /** The interpreter found for a runtime, if any. */
  public Optional<Interpreter> interpreterFor(RuntimeName runtime) {
    return interpreters.stream().filter(i -> i.runtime().equals(runtime)).findFirst();
  }
}
