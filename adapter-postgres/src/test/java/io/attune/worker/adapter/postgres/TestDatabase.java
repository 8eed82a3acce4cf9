package io.attune.worker.adapter.postgres;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Throwaway databases on the test PostgreSQL of {@code scripts/test-services.sh}: each test class (or test) gets a
 * database of its own, created from the environment's ATTUNE_TEST_DATABASE_URL / _USER / _PASSWORD.
 *
 * <p>Without those variables the tests are skipped; with ATTUNE_TEST_SERVICES=required an unreachable database
 * fails them.
 */
final class TestDatabase implements AutoCloseable {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final PostgresSettings settings;
  private final String name;

  private TestDatabase(PostgresSettings settings, String name) {
    this.settings = settings;
    this.name = name;
  }

  /** A new, empty database; its name starts with the given prefix. */
  static TestDatabase create(String prefix) {
    PostgresSettings admin = adminSettings();
    String name = ("it_" + prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet())
        .toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(admin.url(), admin.user(), admin.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException unreachable) {
      unavailable("cannot create a test database on " + admin.location() + ": " + unreachable.getMessage());
    }
    return new TestDatabase(new PostgresSettings(withDatabase(admin.url(), name), admin.user(), admin.password(),
        4), name);
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
    return name;
  }

  /** Runs a statement as the administrator, on the cluster's maintenance database rather than this one. */
  void asAdministrator(String sql) throws SQLException {
    PostgresSettings admin = adminSettings();
    try (Connection c = DriverManager.getConnection(admin.url(), admin.user(), admin.password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Settings for the same database with another pool size. */
  PostgresSettings settings(int poolSize) {
    return new PostgresSettings(settings.url(), settings.user(), settings.password(), poolSize);
  }

  /** Opens a plain JDBC connection, for assertions from the database's point of view. */
  Connection jdbc() throws SQLException {
    return DriverManager.getConnection(settings.url(), settings.user(), settings.password());
  }

  /** Empties every table and restarts the ids at 1. */
  void truncate() {
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      s.execute("TRUNCATE execution, worker, worker_removal, identity RESTART IDENTITY CASCADE");
    } catch (SQLException failed) {
      throw new IllegalStateException("cannot empty " + name, failed);
    }
  }

  @Override
  public void close() {
    PostgresSettings admin = adminSettings();
    try (Connection c = DriverManager.getConnection(admin.url(), admin.user(), admin.password());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException ignored) {
      // the whole cluster is thrown away after the run
    }
  }

  static PostgresSettings adminSettings() {
    String url = System.getenv("ATTUNE_TEST_DATABASE_URL");
    if (url == null || url.isBlank()) {
      unavailable("ATTUNE_TEST_DATABASE_URL is not set: run the tests through scripts/test-services.sh");
    }
    String user = System.getenv().getOrDefault("ATTUNE_TEST_DATABASE_USER", "postgres");
    String password = System.getenv().getOrDefault("ATTUNE_TEST_DATABASE_PASSWORD", "");
    return new PostgresSettings(url, user, password, 4);
  }

  private static void unavailable(String why) {
    if ("required".equals(System.getenv("ATTUNE_TEST_SERVICES"))) {
      fail("PostgreSQL is required (ATTUNE_TEST_SERVICES=required) but " + why);
    }
    Assumptions.abort(why);
  }

  private static String withDatabase(String url, String database) {
    String rest = url.substring(PostgresSettings.URL_PREFIX.length());
    int query = rest.indexOf('?');
    String params = query < 0 ? "" : rest.substring(query);
    String path = query < 0 ? rest : rest.substring(0, query);
    int slash = path.indexOf('/');
    String hosts = slash < 0 ? path : path.substring(0, slash);
    return PostgresSettings.URL_PREFIX + hosts + "/" + database + params;
  }
}
