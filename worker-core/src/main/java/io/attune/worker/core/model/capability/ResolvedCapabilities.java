package io.attune.worker.core.model.capability;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of capability resolution: what the worker advertises, which tier supplied its runtimes,
 * the interpreters found on the machine, and every warning met on the way.
 */
public record ResolvedCapabilities(
    Capabilities capabilities, CapabilitySource source, List<Interpreter> interpreters, List<String> warnings) {
  public ResolvedCapabilities {
    Objects.requireNonNull(capabilities, "capabilities");
    Objects.requireNonNull(source, "source");
    interpreters = List.copyOf(interpreters);
    warnings = List.copyOf(warnings);
  }
}
