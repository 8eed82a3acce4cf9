package io.attune.worker.core.adapter.out.memory;

import io.attune.worker.core.port.contract.WorkerChangesContract;

class InMemoryWorkerChangesContractTest extends WorkerChangesContract {
  @Override
  protected ChangesUnderTest create() {
    InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
    return new ChangesUnderTest(registry, registry, new InMemoryExecutionStore(registry));
  }
}
