package io.attune.worker.core.service.archfixture;

import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;

/** Deliberately breaks the services' rule: a use case tied to one adapter instead of a port. Test sources only. */
public final class ServiceUsingTheInMemoryStore {

  private final InMemoryExecutionStore store;

  public ServiceUsingTheInMemoryStore(InMemoryExecutionStore store) {
    this.store = store;
  }

  public int count() {
    return store.waiting().size();
  }
}
