package io.attune.worker.adapter.postgres;

import io.attune.worker.adapter.postgres.jooq.tables.records.ExecutionRecord;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.worker.WorkerId;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The execution path's hot changes for several executions in one statement each: placing (with the reservation
 * of what each reserves), starting and ending. {@link PostgresExecutionStore} groups concurrent calls into them
 * ({@link GroupCommit}); one call alone runs the store's statement for one execution.
 *
 * <p>Each statement ({@link ExecutionBatchSql}) answers each item as the one-execution statement would have. The
 * items' values travel as arrays ({@code unnest}), so the text of a statement is the same for any number of items
 * and is prepared once per connection.
 */
final class ExecutionBatches {

  /** A placement asked for: the execution, its worker, the instant of the decision (as stored). */
  record Placement(ExecutionId execution, WorkerId worker, Instant at) {
  }

  /** A start asked for: the execution, its attempt, the worker starting it, the instant (as stored). */
  record Start(ExecutionId execution, int attempt, WorkerId worker, Instant at) {
  }

  /** A change decided on a copy: the copy, the execution as it is to be, and whether it gives its slot back. */
  record Change(Execution before, Execution after) {

    /** The worker whose slot the change frees: the copy held one and the changed execution does not. */
    Optional<WorkerId> released() {
      return before.status().holdsWorker() && !after.status().holdsWorker() ? before.worker() : Optional.empty();
    }
  }

  private final Database db;

  ExecutionBatches(Database db) {
    this.db = db;
  }

  /**
   * The rows of {@link ExecutionBatchSql#ASSIGN} by execution id: {@code outcome} is {@code assigned},
   * {@code worker_full}, {@code not_waiting} or {@code alone}; an execution that does not exist has no row.
   */
  Map<Long, ExecutionRow> assign(List<Placement> placements) {
    return byId("place " + placements.size() + " executions", ExecutionBatchSql.ASSIGN, connection -> {
      return new Object[] {longs(connection, placements, p -> p.execution().value()),
          longs(connection, placements, p -> p.worker().value()),
          texts(connection, placements, p -> p.at().toString()),
          sorted(connection, placements, p -> p.execution().value())};
    });
  }

  /**
   * The rows of {@link ExecutionBatchSql#START} by execution id: {@code started} is {@code started} or
   * {@code as_is}.
   */
  Map<Long, ExecutionRow> start(List<Start> starts) {
    return byId("start " + starts.size() + " executions", ExecutionBatchSql.START, connection -> {
      return new Object[] {longs(connection, starts, s -> s.execution().value()),
          connection.createArrayOf("int4", starts.stream().map(Start::attempt).toArray()),
          longs(connection, starts, s -> s.worker().value()),
          texts(connection, starts, s -> s.at().toString()), sorted(connection, starts, s -> s.execution().value())};
    });
  }

  /** The rows {@link ExecutionBatchSql#CHANGE} wrote, by execution id; a change whose row had moved on has none. */
  Map<Long, ExecutionRow> change(List<Change> changes) {
    return byId("change " + changes.size() + " executions", ExecutionBatchSql.CHANGE, connection -> {
      ExecutionRecord[] results = changes.stream().map(c -> {
        ExecutionRecord result = new ExecutionRecord();
        Rows.setResult(result, c.after().result());
        return result;
      }).toArray(ExecutionRecord[]::new);
      return new Object[] {
          longs(connection, changes, c -> c.before().id().value()),
          connection.createArrayOf("int4", changes.stream().map(c -> c.before().attempt()).toArray()),
          texts(connection, changes, c -> c.before().status().wireName()),
          texts(connection, changes, c -> text(c.before().cancelRequestedAt())),
          texts(connection, changes, c -> c.after().status().wireName()),
          longs(connection, changes, c -> c.after().worker().map(WorkerId::value).orElse(null)),
          connection.createArrayOf("int4", changes.stream().map(c -> c.after().attempt()).toArray()),
          connection.createArrayOf("text", Arrays.stream(results)
              .map(r -> r.getResult() == null ? null : r.getResult().data()).toArray()),
          connection.createArrayOf("int4", Arrays.stream(results).map(ExecutionRecord::getExitCode).toArray()),
          connection.createArrayOf("text", Arrays.stream(results).map(ExecutionRecord::getStdout).toArray()),
          connection.createArrayOf("text", Arrays.stream(results).map(ExecutionRecord::getStderr).toArray()),
          connection.createArrayOf("text", Arrays.stream(results).map(ExecutionRecord::getMessage).toArray()),
          texts(connection, changes, c -> text(c.after().startedAt())),
          texts(connection, changes, c -> text(c.after().endedAt())),
          texts(connection, changes, c -> c.after().since().toString()),
          texts(connection, changes, c -> JsonCodec.attempts(c.after().attempts()).data()),
          texts(connection, changes, c -> text(c.after().cancelRequestedAt())),
          longs(connection, changes, c -> c.released().map(WorkerId::value).orElse(null)),
          sorted(connection, changes, c -> c.before().id().value())};
    });
  }

  /** The executions with these ids, by id; an id with no execution is absent. */
  Map<Long, ExecutionRow> find(List<ExecutionId> ids) {
    return byId("find " + ids.size() + " executions", ExecutionBatchSql.FIND,
        connection -> new Object[] {longs(connection, ids, ExecutionId::value)});
  }

  @FunctionalInterface
  private interface Binds {
    Object[] of(Connection connection) throws SQLException;
  }

  private Map<Long, ExecutionRow> byId(String operation, String sql, Binds binds) {
    return db.jdbc(operation, connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        Object[] values = binds.of(connection);
        for (int i = 0; i < values.length; i++) {
          statement.setArray(i + 1, (Array) values[i]);
        }
        try (ResultSet found = statement.executeQuery()) {
          Map<Long, ExecutionRow> rows = new HashMap<>();
          while (found.next()) {
            ExecutionRow row = ExecutionRow.read(found);
            rows.put(row.id(), row);
          }
          return rows;
        }
      }
    });
  }

  private static String text(Optional<Instant> instant) {
    return instant.map(Instant::toString).orElse(null);
  }

  private static <T> Array longs(Connection connection, List<T> items, Function<T, Long> value) throws SQLException {
    return connection.createArrayOf("int8", items.stream().map(value).toArray());
  }

  /** The distinct values in ascending order: the order rows are locked in. */
  private static <T> Array sorted(Connection connection, List<T> items, Function<T, Long> value) throws SQLException {
    return connection.createArrayOf("int8", items.stream().map(value).distinct().sorted().toArray());
  }

  private static <T> Array texts(Connection connection, List<T> items, Function<T, String> value)
      throws SQLException {
    return connection.createArrayOf("text", items.stream().map(value).toArray());
  }
}
