package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.Fixtures.NOW;
import static io.attune.worker.adapter.postgres.Fixtures.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.out.WorkerRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pool heals itself, without an operator: sessions that turned read-only, or that an administrator ended, are
 * replaced by fresh ones. Through both ways the stores reach PostgreSQL: jOOQ (a registration) and plain JDBC (a
 * heartbeat).
 */
class SessionHealingIT {

  /** Far above what healing takes (a reconnect), far below the pool's maximum lifetime of its connections. */
  private static final Duration AT_MOST = Duration.ofSeconds(60);

  private TestDatabase database;
  private PostgresAdapter adapter;

  @AfterEach
  void dropTheDatabase() throws SQLException {
    if (adapter != null) {
      adapter.close();
    }
    if (database != null) {
      database.asAdministrator("ALTER DATABASE " + database.name() + " RESET default_transaction_read_only");
      database.close();
    }
  }

  @Test
  void writes_succeed_again_once_the_database_is_writable_though_every_pooled_session_was_opened_read_only()
      throws SQLException {
    WorkerId worker = connectAndRegister("readonly", 2);
    WorkerRegistry registry = adapter.registry();
    HikariPoolMXBean pool = ((HikariDataSource) adapter.dataSource()).getHikariPoolMXBean();
    // no session still being opened from before the database turns read-only may join the pool after it
    eventually("the pool holds its two sessions", () -> pool.getTotalConnections() == 2);

    database.asAdministrator("ALTER DATABASE " + database.name() + " SET default_transaction_read_only = on");
    // ALTER DATABASE ... SET reaches only sessions opened afterwards: replace every pooled one now
    pool.softEvictConnections();
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> registry.heartbeat(worker, NOW)).isInstanceOf(InfrastructureException.class)
          .hasMessageContaining("read-only transaction").hasMessageContaining("25006");
      assertThatThrownBy(() -> registry.register(worker("w-2", 1, "shell"), NOW))
          .isInstanceOf(InfrastructureException.class).hasMessageContaining("25006");
    }
    database.asAdministrator("ALTER DATABASE " + database.name() + " RESET default_transaction_read_only");

    eventually("a heartbeat (plain JDBC) succeeds once the database is writable", () -> succeeds(
        () -> registry.heartbeat(worker, NOW)));
    eventually("a registration (jOOQ) succeeds once the database is writable", () -> succeeds(
        () -> registry.register(worker("w-2", 1, "shell"), NOW)));
    for (int i = 0; i < 5; i++) {
      assertThat(registry.heartbeat(worker, NOW)).isTrue();
      assertThat(registry.register(worker("w-" + (3 + i), 1, "shell"), NOW).name()).isEqualTo("w-" + (3 + i));
    }
  }

  @Test
  void after_an_administrator_terminates_the_pools_session_one_operation_may_fail_and_the_next_succeeds()
      throws SQLException {
    WorkerId worker = connectAndRegister("terminated", 1);
    WorkerRegistry registry = adapter.registry();

    // the pool notices either by the failed statement (57P01 or 08006: that operation fails) or by its check of a
    // connection idle for a while (none fails): either is fine, so the first operation's outcome is not asserted
    terminateThePoolsSessions();
    succeeds(() -> registry.heartbeat(worker, NOW));
    assertThat(registry.heartbeat(worker, NOW)).as("the heartbeat after one that may fail").isTrue();

    terminateThePoolsSessions();
    succeeds(() -> registry.register(worker("w-2", 1, "shell"), NOW));
    assertThat(registry.register(worker("w-3", 1, "shell"), NOW).name()).isEqualTo("w-3");
    assertThat(registry.heartbeat(worker, NOW)).isTrue();
  }

  /** A migrated database of the test's own, an adapter with a pool of the size given, and a worker w-1 in it. */
  private WorkerId connectAndRegister(String prefix, int poolSize) {
    database = TestDatabase.migrated(prefix);
    adapter = PostgresAdapter.connect(database.settings(poolSize));
    return adapter.registry().register(worker("w-1", 1, "shell"), NOW).id();
  }

  /** Ends every session of the adapter's pool from the server side, and waits until they are gone. */
  private void terminateThePoolsSessions() throws SQLException {
    List<Integer> pids = new ArrayList<>();
    try (Connection c = database.jdbc(); Statement s = c.createStatement();
        // materialized first, so that nothing but the pool's sessions is ever terminated
        var rows = s.executeQuery("WITH pool AS MATERIALIZED (SELECT pid FROM pg_stat_activity "
            + "WHERE datname = current_database() AND application_name = 'attune-worker' "
            + "AND pid <> pg_backend_pid()) SELECT pid FROM pool WHERE pg_terminate_backend(pid)")) {
      while (rows.next()) {
        pids.add(rows.getInt(1));
      }
    }
    assertThat(pids).as("the pool's sessions").isNotEmpty();
    eventually("the terminated sessions are gone", () -> {
      try (Connection c = database.jdbc(); var s = c.prepareStatement(
          "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY (?)")) {
        s.setArray(1, c.createArrayOf("integer", pids.toArray()));
        try (var rows = s.executeQuery()) {
          rows.next();
          return rows.getInt(1) == 0;
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static boolean succeeds(Runnable operation) {
    try {
      operation.run();
      return true;
    } catch (InfrastructureException failed) {
      return false;
    }
  }

  /** Polls until the condition holds; fails after {@link #AT_MOST}. Asserts nothing about how long it took. */
  private static void eventually(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + AT_MOST.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within " + AT_MOST + ": " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting until " + what);
      }
    }
  }
}
