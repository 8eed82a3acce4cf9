package io.attune.worker.adapter.postgres;

import io.attune.worker.core.port.contract.UserStoreContract;
import io.attune.worker.core.port.out.UserStore;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresUserStoreContractIT extends UserStoreContract {

  @RegisterExtension
  static final MigratedDatabase db = new MigratedDatabase("user_contract", 8);

  @Override
  protected UserStore createUserStore() {
    db.truncate();
    return db.adapter().users();
  }
}
