package io.attune.worker.adapter.postgres;

import io.attune.worker.core.error.InfrastructureException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/** The jOOQ context over the pool, translating database failures into port-level errors. */
final class Database {

  private final DataSource dataSource;
  private final DSLContext dsl;
  private final String location;

  Database(DataSource dataSource, DSLContext dsl, String location) {
    this.dataSource = dataSource;
    this.dsl = dsl;
    this.location = location;
  }

  /** Work on a pooled connection with plain JDBC, for the few hot statements that jOOQ renders once. */
  @FunctionalInterface
  interface JdbcWork<T> {
    T apply(Connection connection) throws SQLException;
  }

  /**
   * Runs one port operation.
   *
   * @throws InfrastructureException naming the operation and the database when PostgreSQL fails
   */
  <T> T call(String operation, Function<DSLContext, T> work) {
    try {
      return work.apply(dsl);
    } catch (DataAccessException failed) {
      throw new InfrastructureException(operation, "PostgreSQL at " + location + " failed: " + describe(failed),
          failed);
    }
  }

  /**
   * Runs one port operation with plain JDBC.
   *
   * @throws InfrastructureException naming the operation and the database when PostgreSQL fails
   */
  <T> T jdbc(String operation, JdbcWork<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.apply(connection);
    } catch (SQLException failed) {
      throw new InfrastructureException(operation, "PostgreSQL at " + location + " failed: " + describe(failed),
          failed);
    } catch (DataAccessException failed) {
      // jOOQ reading the JDBC result
      throw new InfrastructureException(operation, "PostgreSQL at " + location + " failed: " + describe(failed),
          failed);
    }
  }

  DSLContext dsl() {
    return dsl;
  }

  private static String describe(DataAccessException failed) {
    SQLException sql = failed.getCause(SQLException.class);
    return sql == null ? failed.getMessage() : describe(sql);
  }

  private static String describe(SQLException sql) {
    String state = sql.getSQLState();
    return sql.getMessage() + (state == null ? "" : " (SQLSTATE " + state + ")");
  }
}
