package io.attune.worker.adapter.postgres;

import io.attune.worker.core.port.contract.RegistryUnderTest;
import io.attune.worker.core.port.contract.WorkerRegistryContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresWorkerRegistryContractIT extends WorkerRegistryContract {

  @RegisterExtension
  static final MigratedDatabase db = new MigratedDatabase("registry_contract");

  @Override
  protected RegistryUnderTest createRegistry() {
    db.truncate();
    return new RegistryUnderTest(db.adapter().registry(), db.adapter().directory());
  }
}
