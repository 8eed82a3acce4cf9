package io.attune.worker.core.service;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.CapabilityChange;
import io.attune.worker.core.model.capability.ResolvedCapabilities;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.port.in.RegisterWorkerUseCase;
import io.attune.worker.core.port.in.ReprobeCapabilitiesUseCase;
import io.attune.worker.core.port.in.ResolveCapabilitiesUseCase;
import java.util.Objects;

/**
 * Re-probes with the same resolution as at start-up and registers the worker again when its auto-detected runtimes
 * changed. Only the runtimes and their versions are compared and updated: the rest of the capabilities is declared
 * and stays as it was; declared runtimes (environment, configuration file) are never replaced by a probe.
 * Re-probes do not overlap: one at a time, so a slow probe cannot register an older result over a newer one.
 */
public final class ReprobeCapabilitiesService implements ReprobeCapabilitiesUseCase {

  private final ResolveCapabilitiesUseCase resolution;
  private final RegisterWorkerUseCase registry;
  private WorkerRegistration current;

  /** @param registered what the worker registered with at start-up */
  public ReprobeCapabilitiesService(ResolveCapabilitiesUseCase resolution, RegisterWorkerUseCase registry,
      WorkerRegistration registered) {
    this.resolution = Objects.requireNonNull(resolution, "resolution");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.current = Objects.requireNonNull(registered, "registered");
  }

  @Override
  public synchronized Reprobe reprobe() {
    ResolvedCapabilities resolved = resolution.resolve();
    if (!resolved.source().followsTheMachine()) {
      // a declaration (environment or configuration file) is what the worker promised; a probe does not change it
      return new Reprobe(resolved, CapabilityChange.none());
    }
    Capabilities before = current.capabilities();
    CapabilityChange change = CapabilityChange.between(before, resolved.capabilities());
    if (change.isEmpty()) {
      return new Reprobe(resolved, change);
    }
    // only what the probe decides changes; labels, taints, limits and extras stay as registered
    Capabilities after = before.toBuilder()
        .runtimes(resolved.capabilities().runtimes())
        .runtimeVersions(resolved.capabilities().runtimeVersions())
        .build();
    WorkerRegistration updated = current.withCapabilities(after);
    registry.register(updated);
    current = updated;
    return new Reprobe(resolved, change);
  }

  /** What the worker advertises now: its last successful registration. */
  public synchronized WorkerRegistration current() {
    return current;
  }
}
