package io.attune.worker.testsupport.services;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** A database of a test's own on the test cluster ({@link TestServices#newDatabase}); closing it drops it. */
public final class ThrowawayDatabase implements AutoCloseable {

  private final TestServices services;
  private final String name;

  ThrowawayDatabase(TestServices services, String name) {
    this.services = services;
    this.name = name;
  }

  /** Its name, for statements about the database itself ({@code ALTER DATABASE}). */
  public String name() {
    return name;
  }

  /** Its JDBC URL. */
  public String url() {
    return services.databaseUrl(name);
  }

  /** The user of the test cluster. */
  public String user() {
    return services.databaseUser();
  }

  /** That user's password. */
  public String password() {
    return services.databasePassword();
  }

  /** The services it lives on, for statements as the administrator. */
  public TestServices services() {
    return services;
  }

  /** Opens a plain JDBC connection, for assertions from the database's point of view. */
  public Connection jdbc() throws SQLException {
    return DriverManager.getConnection(url(), user(), password());
  }

  @Override
  public void close() {
    try {
      services.asAdministrator("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException ignored) {
      // the whole cluster is thrown away after the run
    }
  }
}
