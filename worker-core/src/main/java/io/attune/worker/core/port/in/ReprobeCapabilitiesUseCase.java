package io.attune.worker.core.port.in;

import io.attune.worker.core.model.capability.CapabilityChange;
import io.attune.worker.core.model.capability.ResolvedCapabilities;
import java.util.Objects;

/**
 * A running worker whose runtimes were auto-detected looks at its machine again; when what it finds differs from
 * what it advertises, its registration is updated at once, so that schedulers stop placing work for a runtime that
 * went away and start placing work for one that appeared.
 */
public interface ReprobeCapabilitiesUseCase {

  /**
   * Probes again and, when the runtimes or their versions changed, registers the worker again under its name (its
   * id, running count and cordon are kept).
   *
   * @throws io.attune.worker.core.error.InfrastructureException when the registry cannot be reached; the worker keeps
   *     advertising what it did, and the next re-probe tries again
   */
  Reprobe reprobe();

  /**
   * What one re-probe found.
   *
   * @param resolved the capabilities as resolved now (also when nothing changed)
   * @param change what changed against what the worker advertised before; empty when nothing did
   */
  record Reprobe(ResolvedCapabilities resolved, CapabilityChange change) {
    public Reprobe {
      Objects.requireNonNull(resolved, "resolved");
      Objects.requireNonNull(change, "change");
    }

    /** True when the registration was updated. */
    public boolean changed() {
      return !change.isEmpty();
    }
  }
}
