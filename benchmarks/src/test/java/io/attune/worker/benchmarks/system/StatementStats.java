package io.attune.worker.benchmarks.system;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The SQL a phase ran, from {@code pg_stat_statements} (which {@code scripts/test-services.sh} preloads): how many
 * statements and how much server time one execution costs, and which statements dominate. Where the extension is
 * not available every reading is empty.
 */
final class StatementStats {

  private final DataSource dataSource;
  private final boolean available;

  private StatementStats(DataSource dataSource, boolean available) {
    this.dataSource = dataSource;
    this.available = available;
  }

  static StatementStats on(DataSource dataSource) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      s.executeQuery("SELECT count(*) FROM pg_stat_statements").close();
      return new StatementStats(dataSource, true);
    } catch (SQLException unavailable) {
      return new StatementStats(dataSource, false);
    }
  }

  /** One kind of statement: calls and total server time. */
  record Kind(String query, long calls, double totalMillis) {
  }

  /** Everything since the last reset, most called first; empty without the extension. */
  record Reading(long calls, double totalMillis, List<Kind> kinds) {
    static final Reading NONE = new Reading(0, 0, List.of());
  }

  void reset() {
    if (!available) {
      return;
    }
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.executeQuery("SELECT pg_stat_statements_reset()").close();
    } catch (SQLException failed) {
      throw new IllegalStateException("pg_stat_statements_reset() failed: " + failed.getMessage(), failed);
    }
  }

  Reading read() {
    if (!available) {
      return Reading.NONE;
    }
    String sql = "SELECT regexp_replace(query, '\\s+', ' ', 'g'), calls, total_exec_time FROM pg_stat_statements "
        + "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
        + "AND query NOT LIKE '%pg_stat_statements%' ORDER BY calls DESC";
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
         ResultSet rows = s.executeQuery(sql)) {
      List<Kind> kinds = new ArrayList<>();
      long calls = 0;
      double millis = 0;
      while (rows.next()) {
        Kind kind = new Kind(rows.getString(1), rows.getLong(2), rows.getDouble(3));
        kinds.add(kind);
        calls += kind.calls();
        millis += kind.totalMillis();
      }
      return new Reading(calls, millis, List.copyOf(kinds));
    } catch (SQLException failed) {
      throw new IllegalStateException("reading pg_stat_statements failed: " + failed.getMessage(), failed);
    }
  }
}
