package io.attune.worker.core.port.in;

import io.attune.worker.core.model.capability.ResolvedCapabilities;

/** Works out what this worker can run, from the environment, the configuration file or the machine. */
public interface ResolveCapabilitiesUseCase {

  /**
   * Resolves capabilities by the precedence rules.
   *
   * @throws io.attune.worker.core.error.ConfigurationException when a declared value is malformed
   */
  ResolvedCapabilities resolve();
}
