package io.attune.worker.adapter.postgres;

import io.attune.worker.adapter.postgres.jooq.tables.records.ExecutionRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;

/**
 * An execution row as a statement of the execution path answers it: the execution's columns and, for a statement
 * that says how it went for each row (the assign statement's {@code outcome}, the start statement's
 * {@code started}), that mark in its first column; {@code ""} when it has none.
 */
record ExecutionRow(String mark, ExecutionRecord columns) {

  /** The labels a first column has when it is a mark. */
  private static final Set<String> MARKS = Set.of("outcome", "started");

  /** The result set's current row. */
  static ExecutionRow read(ResultSet rs) throws SQLException {
    String first = rs.getMetaData().getColumnLabel(1);
    String mark = MARKS.contains(first) ? rs.getString(1) : "";
    return new ExecutionRow(mark, Rows.executionRow(rs));
  }

  long id() {
    return columns.getId();
  }
}
