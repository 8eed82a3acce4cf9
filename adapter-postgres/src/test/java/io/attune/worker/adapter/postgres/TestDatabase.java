package io.attune.worker.adapter.postgres;

import io.attune.worker.testsupport.services.TestServices;
import io.attune.worker.testsupport.services.ThrowawayDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Throwaway databases on the test PostgreSQL of {@code scripts/test-services.sh} (test-support's
 * {@link TestServices}), as this adapter's settings: each test class (or test) gets a database of its own.
 *
 * <p>Without the test variables the tests are skipped; with ATTUNE_TEST_SERVICES=required an unreachable database
 * fails them.
 */
final class TestDatabase implements AutoCloseable {

  private final ThrowawayDatabase database;
  private final PostgresSettings settings;

  private TestDatabase(ThrowawayDatabase database) {
    this.database = database;
    this.settings = new PostgresSettings(database.url(), database.user(), database.password(), 4);
  }

  /** A new, empty database; its name starts with the given prefix. */
  static TestDatabase create(String prefix) {
    return new TestDatabase(TestServices.requirePostgres().newDatabase(prefix));
  }

  /** A new database with the schema migrated, and an adapter on it. */
  static TestDatabase migrated(String prefix) {
    TestDatabase db = create(prefix);
    try (PostgresAdapter adapter = PostgresAdapter.connect(db.settings())) {
      adapter.migrate();
    }
    return db;
  }

  PostgresSettings settings() {
    return settings;
  }

  /** The database's name, for statements about the database itself ({@code ALTER DATABASE}). */
  String name() {
    return database.name();
  }

  /** Runs a statement as the administrator, on the cluster's maintenance database rather than this one. */
  void asAdministrator(String sql) throws SQLException {
    database.services().asAdministrator(sql);
  }

  /** Settings for the same database with another pool size. */
  PostgresSettings settings(int poolSize) {
    return new PostgresSettings(settings.url(), settings.user(), settings.password(), poolSize);
  }

  /** Opens a plain JDBC connection, for assertions from the database's point of view. */
  Connection jdbc() throws SQLException {
    return database.jdbc();
  }

  /** Empties every table and restarts the ids at 1. */
  void truncate() {
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      s.execute("TRUNCATE execution, worker, worker_removal, identity RESTART IDENTITY CASCADE");
    } catch (SQLException failed) {
      throw new IllegalStateException("cannot empty " + name(), failed);
    }
  }

  @Override
  public void close() {
    database.close();
  }

  /** The cluster's maintenance database, as the administrator. */
  static PostgresSettings adminSettings() {
    TestServices services = TestServices.requirePostgres();
    return new PostgresSettings(services.databaseUrl(), services.databaseUser(), services.databasePassword(), 4);
  }
}
