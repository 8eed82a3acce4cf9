package io.attune.worker.core.port.contract;

import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.port.out.WorkerDirectory;
import io.attune.worker.core.port.out.WorkerRegistry;
import java.util.Objects;

/**
 * An execution store under test with the worker registry whose capacity it reserves: all three share one state,
 * so a slot taken by {@link ExecutionStore#assign} shows in {@link WorkerDirectory} as {@code running}.
 */
public record StoreUnderTest(WorkerRegistry registry, WorkerDirectory directory, ExecutionStore store) {
  public StoreUnderTest {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(store, "store");
  }
}
