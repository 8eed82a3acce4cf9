package io.attune.worker.core.adapter.out.memory;

import io.attune.worker.core.port.contract.ExecutionStoreContract;
import io.attune.worker.core.port.contract.StoreUnderTest;

class InMemoryExecutionStoreContractTest extends ExecutionStoreContract {
  @Override
  protected StoreUnderTest create() {
    InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
    return new StoreUnderTest(registry, registry, new InMemoryExecutionStore(registry));
  }
}
