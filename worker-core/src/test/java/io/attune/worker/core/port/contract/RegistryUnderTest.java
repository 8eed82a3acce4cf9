package io.attune.worker.core.port.contract;

import io.attune.worker.core.port.out.WorkerDirectory;
import io.attune.worker.core.port.out.WorkerRegistry;
import java.util.Objects;

/**
 * The two faces of one worker registry under test: the writing side and the reading side, sharing their state.
 *
 * @param registry registers workers and records heartbeats, status and cordon
 * @param directory reads the same workers back
 */
public record RegistryUnderTest(WorkerRegistry registry, WorkerDirectory directory) {
  public RegistryUnderTest {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(directory, "directory");
  }

  /** For an adapter class that implements both ports. */
  public static <T extends WorkerRegistry & WorkerDirectory> RegistryUnderTest of(T both) {
    return new RegistryUnderTest(both, both);
  }
}
