package io.attune.worker.adapter.postgres;

import io.attune.worker.core.port.contract.UserStoreContract;
import io.attune.worker.core.port.out.UserStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresUserStoreContractIT extends UserStoreContract {

  private static TestDatabase db;
  private static PostgresAdapter adapter;

  @BeforeAll
  static void database() {
    db = TestDatabase.migrated("user_contract");
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
  protected UserStore createUserStore() {
    db.truncate();
    return adapter.users();
  }
}
