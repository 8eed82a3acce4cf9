package io.attune.worker.core.adapter.out.memory;

import io.attune.worker.core.port.contract.RegistryUnderTest;
import io.attune.worker.core.port.contract.WorkerRegistryContract;

class InMemoryWorkerRegistryContractTest extends WorkerRegistryContract {
  @Override
  protected RegistryUnderTest createRegistry() {
    return RegistryUnderTest.of(new InMemoryWorkerRegistry());
  }
}
