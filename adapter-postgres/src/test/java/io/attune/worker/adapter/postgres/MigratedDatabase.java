package io.attune.worker.adapter.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A migrated database of its own for one test class, with a connected adapter: created before the class, dropped
 * after it. Register it as {@code @RegisterExtension static final MigratedDatabase db = new MigratedDatabase(..)}.
 */
final class MigratedDatabase implements BeforeAllCallback, AfterAllCallback {

  private final String prefix;
  private final int poolSize;
  private TestDatabase database;
  private PostgresAdapter adapter;

  MigratedDatabase(String prefix) {
    this(prefix, PostgresSettings.DEFAULT_MAX_POOL_SIZE);
  }

  MigratedDatabase(String prefix, int poolSize) {
    this.prefix = prefix;
    this.poolSize = poolSize;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    database = TestDatabase.migrated(prefix);
    adapter = PostgresAdapter.connect(database.settings(poolSize));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (adapter != null) {
      adapter.close();
    }
    if (database != null) {
      database.close();
    }
  }

  PostgresAdapter adapter() {
    return adapter;
  }

  /** Empties every table, for a test that starts from nothing. */
  void truncate() {
    database.truncate();
  }

  Connection jdbc() throws SQLException {
    return database.jdbc();
  }
}
