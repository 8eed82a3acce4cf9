package io.attune.worker.core.model.capability;

import io.attune.worker.core.model.runtime.RuntimeName;
import java.util.List;
import java.util.Optional;

/**
 * What a probe of the machine found: interpreters that answered, the GPUs it saw, and a warning for every binary
 * that did not answer as expected.
 */
public record ProbeReport(List<Interpreter> interpreters, List<Gpu> gpus, List<String> warnings) {
  public ProbeReport {
    interpreters = List.copyOf(interpreters);
    gpus = List.copyOf(gpus);
    warnings = List.copyOf(warnings);
  }

  /** A report of interpreters only: no GPU seen. */
  public ProbeReport(List<Interpreter> interpreters, List<String> warnings) {
    this(interpreters, List.of(), warnings);
  }

  /** The report of a probe that was asked nothing. */
  public static ProbeReport empty() {
    return new ProbeReport(List.of(), List.of(), List.of());
  }

  /** The interpreter found for a runtime, if any. */
  public Optional<Interpreter> interpreterFor(RuntimeName runtime) {
    return interpreters.stream().filter(i -> i.runtime().equals(runtime)).findFirst();
  }
}
