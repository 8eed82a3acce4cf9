package io.attune.worker.adapter.postgres;

import io.attune.worker.core.model.execution.Execution;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Field;
import org.jooq.Record;

/**
 * What the execution store's parts share to run their statements: the pool, the reading of rows, the statements
 * for several executions at once, and the running of a statement rendered once ({@link RenderedSql}).
 */
record ExecutionStatements(Database db, Rows rows, ExecutionBatches batches) {

  /** The execution a statement's row holds. */
  Execution execution(ExecutionRow row) {
    return rows.execution(row.columns());
  }

  /** Runs a statement rendered once; its first row, if any, as a record of the given columns. */
  Optional<Record> oneRecord(String operation, RenderedSql sql, Map<String, ?> values, Field<?>... columns) {
    return db.jdbc(operation, connection -> {
      try (PreparedStatement statement = sql.prepare(connection, values); ResultSet row = statement.executeQuery()) {
        return db.dsl().fetchOptional(row, columns);
      }
    });
  }

  /** Runs a statement rendered once that answers with execution rows; its first row, if any. */
  Optional<ExecutionRow> one(String operation, RenderedSql sql, Map<String, ?> values) {
    return db.jdbc(operation, connection -> {
      try (PreparedStatement statement = sql.prepare(connection, values); ResultSet row = statement.executeQuery()) {
        return row.next() ? Optional.of(ExecutionRow.read(row)) : Optional.empty();
      }
    });
  }

  /** Runs a query rendered once; every row as an execution. */
  List<Execution> all(String operation, RenderedSql sql, Map<String, ?> values) {
    return db.jdbc(operation, connection -> {
      try (PreparedStatement statement = sql.prepare(connection, values); ResultSet found = statement.executeQuery()) {
        List<Execution> executions = new ArrayList<>();
        while (found.next()) {
          executions.add(rows.execution(Rows.executionRow(found)));
        }
        return executions;
      }
    });
  }
}
