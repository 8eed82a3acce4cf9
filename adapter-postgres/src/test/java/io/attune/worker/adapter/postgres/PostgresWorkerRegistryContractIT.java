package io.attune.worker.adapter.postgres;

import io.attune.worker.core.port.contract.RegistryUnderTest;
import io.attune.worker.core.port.contract.WorkerRegistryContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresWorkerRegistryContractIT extends WorkerRegistryContract {

  private static TestDatabase db;
  private static PostgresAdapter adapter;

  @BeforeAll
  static void database() {
    db = TestDatabase.migrated("registry_contract");
    adapter = PostgresAdapter.connect(db.settings());
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
  protected RegistryUnderTest createRegistry() {
    db.truncate();
    return new RegistryUnderTest(adapter.registry(), adapter.directory());
  }
}
