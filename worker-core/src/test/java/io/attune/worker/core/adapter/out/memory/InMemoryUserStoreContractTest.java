package io.attune.worker.core.adapter.out.memory;

import io.attune.worker.core.port.contract.UserStoreContract;
import io.attune.worker.core.port.out.UserStore;

class InMemoryUserStoreContractTest extends UserStoreContract {
  @Override
  protected UserStore createUserStore() {
    return new InMemoryUserStore();
  }
}
