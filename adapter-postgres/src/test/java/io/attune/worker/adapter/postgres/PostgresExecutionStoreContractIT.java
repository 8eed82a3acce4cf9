package io.attune.worker.adapter.postgres;

import io.attune.worker.core.port.contract.ExecutionStoreContract;
import io.attune.worker.core.port.contract.StoreUnderTest;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresExecutionStoreContractIT extends ExecutionStoreContract {

  // the contract's concurrency test runs 8 threads at once
  @RegisterExtension
  static final MigratedDatabase db = new MigratedDatabase("execution_contract", 8);

  @Override
  protected StoreUnderTest create() {
    db.truncate();
    return new StoreUnderTest(db.adapter().registry(), db.adapter().directory(), db.adapter().executions());
  }
}
