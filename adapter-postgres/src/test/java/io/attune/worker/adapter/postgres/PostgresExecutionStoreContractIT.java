package io.attune.worker.adapter.postgres;

import io.attune.worker.core.port.contract.ExecutionStoreContract;
import io.attune.worker.core.port.contract.StoreUnderTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresExecutionStoreContractIT extends ExecutionStoreContract {

  private static TestDatabase db;
  private static PostgresAdapter adapter;

  @BeforeAll
  static void database() {
    db = TestDatabase.migrated("execution_contract");
    // the contract's concurrency test runs 8 threads at once
    adapter = PostgresAdapter.connect(db.settings(8));
  }

  @AfterAll
  static void drop() {
    if (adapter != null) {
      adapter.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Override
  protected StoreUnderTest create() {
    db.truncate();
    return new StoreUnderTest(adapter.registry(), adapter.directory(), adapter.executions());
  }
}
