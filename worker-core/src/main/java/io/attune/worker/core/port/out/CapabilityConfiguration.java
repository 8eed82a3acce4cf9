package io.attune.worker.core.port.out;

import io.attune.worker.core.model.capability.CapabilityDeclaration;
import java.util.Optional;

/** The configuration file's {@code worker.capabilities} section, if a file declares one. */
@FunctionalInterface
public interface CapabilityConfiguration {

  Optional<CapabilityDeclaration> declaredCapabilities();

  /** No configuration file. */
  static CapabilityConfiguration none() {
    return Optional::empty;
  }
}
