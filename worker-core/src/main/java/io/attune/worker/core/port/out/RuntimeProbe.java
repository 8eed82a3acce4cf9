package io.attune.worker.core.port.out;

import io.attune.worker.core.model.capability.ProbeReport;
import io.attune.worker.core.model.runtime.KnownRuntime;
import java.util.List;

/**
 * Looks for runtime binaries on this machine. For each runtime the first of its binaries that answers its
 * version command in time wins; every binary that does not answer becomes a warning naming it and why.
 */
@FunctionalInterface
public interface RuntimeProbe {

  ProbeReport probe(List<KnownRuntime> runtimes);

  /**
   * Like {@link #probe}, and looks for the machine's GPUs as well, in the same round, so that a hanging GPU tool costs
   * the one probe timeout the runtimes cost. A probe that cannot look for GPUs finds none.
   */
  default ProbeReport probeWithGpus(List<KnownRuntime> runtimes) {
    return probe(runtimes);
  }

  /** A probe that finds nothing, for tests and for workers that must not look. */
  static RuntimeProbe none() {
    return runtimes -> ProbeReport.empty();
  }
}
