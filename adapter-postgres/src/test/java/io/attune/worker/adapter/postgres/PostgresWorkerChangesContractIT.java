package io.attune.worker.adapter.postgres;

import io.attune.worker.core.port.contract.WorkerChangesContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresWorkerChangesContractIT extends WorkerChangesContract {

  @RegisterExtension
  static final MigratedDatabase db = new MigratedDatabase("changes_contract");

  @Override
  protected ChangesUnderTest create() {
    db.truncate();
    return new ChangesUnderTest(db.adapter().registry(), db.adapter().workerChanges(), db.adapter().executions());
  }
}
