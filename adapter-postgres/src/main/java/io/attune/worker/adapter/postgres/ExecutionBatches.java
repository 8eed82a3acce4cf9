package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.jooq.Tables.EXECUTION;

import io.attune.worker.adapter.postgres.jooq.tables.records.ExecutionRecord;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerStatus;
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
import java.util.stream.Collectors;
import org.jooq.Field;

/**
 * The execution path's hot changes for several executions in one statement each: placing (with the capacity
 * reservation), starting and ending. {@link PostgresExecutionStore} groups concurrent calls into them
 * ({@link GroupCommit}); one call alone runs the store's statement for one execution.
 *
 * <p>Each statement decides every row by the rule of its one-execution statement, so that a batch answers each
 * item as that statement would have. The items' values travel as arrays ({@code unnest}), so the text of a
 * statement is the same for any number of items and is prepared once per connection. Rows are locked as the
 * one-execution statements lock them: executions first, workers second, each in id order, one row looked up by its
 * key at a time ({@link #locked}).
 *
 * <p>The statements are written as SQL here rather than built with jOOQ: {@code unnest ... WITH ORDINALITY},
 * window functions over the items and {@code UPDATE ... FROM} a set of items read more plainly as SQL.
 */
final class ExecutionBatches {

  private static final String STALE = "(lw.last_heartbeat IS NULL OR lw.last_heartbeat <= p.at - "
      + Worker.STALE_AFTER_MISSED_HEARTBEATS + " * lw.heartbeat_interval_seconds * interval '1 second')";

  /**
   * Places executions on workers: each row as {@code PostgresExecutionStore}'s assign statement does, a worker's
   * free slots going to its items in their order. An execution that needs GPUs is left to that statement
   * ({@code alone}): counting GPUs for several executions at once is not worth its SQL here.
   */
  static final String ASSIGN = filled("""
      WITH p AS (
        SELECT execution, worker, at::timestamptz AS at, at AS at_text, ord
        FROM unnest(?::bigint[], ?::bigint[], ?::text[]) WITH ORDINALITY AS p(execution, worker, at, ord)
      ), e AS (
        {locked executions}
      ), ranked AS (
        SELECT p.*, row_number() OVER (PARTITION BY p.worker ORDER BY p.ord) AS rank
        FROM p JOIN e ON e.id = p.execution
        WHERE e.status = 'requested' AND {gpus of e} = 0
      ), lw AS (
        SELECT y.id, y.running, (y.capabilities ->> 'max_concurrent_executions')::int AS max_running, y.status,
               y.cordoned, y.last_heartbeat, y.heartbeat_interval_seconds
        FROM (SELECT DISTINCT worker FROM ranked ORDER BY worker) i
        CROSS JOIN LATERAL (SELECT * FROM worker WHERE worker.id = i.worker FOR UPDATE) y
      ), granted AS (
        SELECT p.* FROM ranked p JOIN lw ON lw.id = p.worker
        WHERE lw.running + p.rank <= lw.max_running AND lw.status = '{active}' AND NOT lw.cordoned AND NOT {stale}
      ), w AS (
        UPDATE worker SET running = worker.running + g.n
        FROM (SELECT worker, count(*)::int AS n FROM granted GROUP BY worker) g
        WHERE worker.id = g.worker RETURNING worker.id
      ), x AS (
        UPDATE execution SET status = 'scheduled', worker = g.worker, attempt = execution.attempt + 1,
          status_since = g.at,
          attempts = execution.attempts || jsonb_build_array(jsonb_build_object('attempt', execution.attempt + 1,
            'worker_id', g.worker, 'scheduled_at', g.at_text, 'started_at', null, 'ended_at', null, 'outcome', null,
            'reason', '')),
          updated = current_timestamp
        FROM granted g WHERE execution.id = g.execution RETURNING execution.*
      )
      SELECT 'assigned' AS outcome, {columns of x} FROM x
      UNION ALL
      SELECT CASE WHEN e.status <> 'requested' THEN 'not_waiting' WHEN {gpus of e} > 0 THEN 'alone'
             ELSE 'worker_full' END,
             {columns of e}
      FROM e WHERE e.id NOT IN (SELECT id FROM x)
      """, Map.of("{locked executions}", locked("*"), "{gpus of e}", gpus("e"), "{stale}", STALE,
      "{active}", WorkerStatus.ACTIVE.wireName(), "{columns of x}", prefixed("x"), "{columns of e}", prefixed("e")));

  /** Starts attempts, as {@code PostgresExecutionStore}'s start statement does for one. */
  static final String START = filled("""
      WITH p AS (
        SELECT id, attempt, worker, at::timestamptz AS at, at AS at_text
        FROM unnest(?::bigint[], ?::int[], ?::bigint[], ?::text[]) AS p(id, attempt, worker, at)
      ), e AS (
        {locked executions}
      ), x AS (
        UPDATE execution SET status = 'running', started_at = p.at, status_since = p.at,
          attempts = CASE WHEN (execution.attempts -> -1 ->> 'attempt') = execution.attempt::text
            THEN jsonb_set(execution.attempts, ARRAY['-1', 'started_at'], to_jsonb(p.at_text))
            ELSE execution.attempts END,
          updated = current_timestamp
        FROM p JOIN e ON e.id = p.id
        WHERE execution.id = p.id AND execution.attempt = p.attempt AND execution.worker = p.worker
          AND execution.status IN ({startable})
        RETURNING execution.*
      )
      SELECT 'started' AS started, {columns of x} FROM x
      UNION ALL
      SELECT 'as_is', {columns of e} FROM e WHERE e.id NOT IN (SELECT id FROM x)
      """, Map.of("{locked executions}", locked("*"), "{startable}", Arrays.stream(ExecutionStatus.values())
      .filter(s -> s.canMoveTo(ExecutionStatus.RUNNING)).map(s -> "'" + s.wireName() + "'")
      .collect(Collectors.joining(", ")), "{columns of x}", prefixed("x"), "{columns of e}", prefixed("e")));

  /**
   * Compare-and-sets of executions decided on the callers' copies, as {@code PostgresExecutionStore}'s
   * compare-and-set does for one: each row written only while it still has the copy's status, attempt and cancel
   * request; the slots (and GPUs) of those that stopped holding a worker given back, per worker.
   */
  static final String CHANGE = filled("""
      WITH v AS (
        SELECT id, before_attempt, before_status, before_cancel::timestamptz AS before_cancel, status, worker,
               attempt, result::jsonb AS result, exit_code, stdout, stderr, message, started_at::timestamptz AS started_at,
               ended_at::timestamptz AS ended_at, status_since::timestamptz AS status_since,
               attempts::jsonb AS attempts, cancel_requested_at::timestamptz AS cancel_requested_at, released_worker
        FROM unnest(?::bigint[], ?::int[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::int[], ?::text[],
                    ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                    ?::bigint[])
          AS v(id, before_attempt, before_status, before_cancel, status, worker, attempt, result, exit_code, stdout,
               stderr, message, started_at, ended_at, status_since, attempts, cancel_requested_at, released_worker)
      ), e AS (
        {locked executions}
      ), x AS (
        UPDATE execution SET status = v.status, worker = v.worker, attempt = v.attempt, result = v.result,
          exit_code = v.exit_code, stdout = v.stdout, stderr = v.stderr, message = v.message,
          started_at = v.started_at, ended_at = v.ended_at, status_since = v.status_since, attempts = v.attempts,
          cancel_requested_at = v.cancel_requested_at, updated = current_timestamp
        FROM v JOIN e ON e.id = v.id
        WHERE execution.id = v.id AND execution.attempt = v.before_attempt AND execution.status = v.before_status
          AND execution.cancel_requested_at IS NOT DISTINCT FROM v.before_cancel
        RETURNING execution.*, v.released_worker
      ), r AS (
        SELECT released_worker AS worker, count(*)::int AS n, sum({gpus of x})::int AS gpus
        FROM x WHERE released_worker IS NOT NULL GROUP BY released_worker
      ), lw AS (
        SELECT y.id FROM (SELECT worker FROM r ORDER BY worker) i
        CROSS JOIN LATERAL (SELECT id FROM worker WHERE worker.id = i.worker FOR UPDATE) y
      ), w AS (
        UPDATE worker SET running = greatest(worker.running - r.n, 0),
          gpus_in_use = greatest(worker.gpus_in_use - r.gpus, 0)
        FROM r JOIN lw ON lw.id = r.worker WHERE worker.id = r.worker RETURNING worker.id
      )
      SELECT {columns of x} FROM x
      """, Map.of("{locked executions}", locked("id"), "{gpus of x}", gpus("x"), "{columns of x}", prefixed("x")));

  /** Reads executions by id. */
  static final String FIND = "SELECT " + prefixed("x") + " FROM unnest(?::bigint[]) AS i(id) CROSS JOIN LATERAL "
      + "(SELECT * FROM execution WHERE execution.id = i.id OFFSET 0) x";

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
   * The rows of {@link #ASSIGN} by execution id: {@code outcome} is {@code assigned}, {@code worker_full},
   * {@code not_waiting} or {@code alone}; an execution that does not exist has no row.
   */
  Map<Long, ExecutionRow> assign(List<Placement> placements) {
    return byId("place " + placements.size() + " executions", ASSIGN, connection -> {
      return new Object[] {longs(connection, placements, p -> p.execution().value()),
          longs(connection, placements, p -> p.worker().value()),
          texts(connection, placements, p -> p.at().toString()),
          sorted(connection, placements, p -> p.execution().value())};
    });
  }

  /** The rows of {@link #START} by execution id: {@code started} is {@code started} or {@code as_is}. */
  Map<Long, ExecutionRow> start(List<Start> starts) {
    return byId("start " + starts.size() + " executions", START, connection -> {
      return new Object[] {longs(connection, starts, s -> s.execution().value()),
          connection.createArrayOf("int4", starts.stream().map(Start::attempt).toArray()),
          longs(connection, starts, s -> s.worker().value()),
          texts(connection, starts, s -> s.at().toString()), sorted(connection, starts, s -> s.execution().value())};
    });
  }

  /** The rows {@link #CHANGE} wrote, by execution id; a change whose row had moved on has none. */
  Map<Long, ExecutionRow> change(List<Change> changes) {
    return byId("change " + changes.size() + " executions", CHANGE, connection -> {
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
    return byId("find " + ids.size() + " executions", FIND,
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

  /**
   * The executions whose ids a parameter lists in ascending order, each looked up by its key and locked in that
   * order: a plan cannot turn one-row lookups into a scan of the table, which a table without statistics yet (or
   * bloated by the path's own updates before autovacuum came) would otherwise get.
   */
  private static String locked(String columns) {
    return "SELECT x." + columns + " FROM unnest(?::bigint[]) AS i(id) "
        + "CROSS JOIN LATERAL (SELECT " + columns + " FROM execution WHERE execution.id = i.id FOR UPDATE) x";
  }

  /** The text with each {name} of {@code parts} replaced; a name left over is a mistake in this class. */
  private static String filled(String text, Map<String, String> parts) {
    String sql = text;
    for (Map.Entry<String, String> part : parts.entrySet()) {
      sql = sql.replace(part.getKey(), part.getValue());
    }
    if (sql.matches("(?s).*\\{[a-z ]+}.*")) {
      throw new IllegalStateException("a part of a statement was not filled in: " + sql);
    }
    return sql;
  }

  /** The GPUs the requirements of the execution row {@code alias} need: their {@code gpu.count}, 0 when none. */
  private static String gpus(String alias) {
    return "coalesce((" + alias + ".requirements -> 'gpu' ->> 'count')::int, 0)";
  }

  private static String prefixed(String alias) {
    return Arrays.stream(EXECUTION.fields()).map(f -> alias + "." + f.getName()).collect(Collectors.joining(", "));
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
