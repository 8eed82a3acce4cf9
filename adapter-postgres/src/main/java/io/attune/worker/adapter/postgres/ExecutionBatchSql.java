package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.CoreRulesInSql.assignments;
import static io.attune.worker.adapter.postgres.CoreRulesInSql.givingBack;
import static io.attune.worker.adapter.postgres.CoreRulesInSql.hasRoom;
import static io.attune.worker.adapter.postgres.CoreRulesInSql.schedulable;
import static io.attune.worker.adapter.postgres.CoreRulesInSql.sql;
import static io.attune.worker.adapter.postgres.CoreRulesInSql.startable;
import static io.attune.worker.adapter.postgres.CoreRulesInSql.taking;
import static io.attune.worker.adapter.postgres.CoreRulesInSql.takesNewWork;
import static io.attune.worker.adapter.postgres.CoreRulesInSql.withAttemptStarted;
import static io.attune.worker.adapter.postgres.CoreRulesInSql.withScheduledAttempt;
import static io.attune.worker.adapter.postgres.jooq.Tables.EXECUTION;
import static io.attune.worker.adapter.postgres.jooq.Tables.WORKER;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;

import io.attune.worker.adapter.postgres.jooq.tables.records.ExecutionRecord;
import io.attune.worker.adapter.postgres.jooq.tables.records.WorkerRecord;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.worker.Reservations;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Table;

/**
 * The texts of {@link ExecutionBatches}' statements. Each decides every row by the rule of its one-execution
 * statement, with the core's rules from {@link CoreRulesInSql}, so that a batch answers each item as that statement
 * would have. Rows are locked as the one-execution statements lock them: executions first, workers second, each in
 * id order, one row looked up by its key at a time ({@link #locked}).
 *
 * <p>The statements are written as SQL here rather than built with jOOQ: {@code unnest ... WITH ORDINALITY},
 * window functions over the items and {@code UPDATE ... FROM} a set of items read more plainly as SQL.
 */
final class ExecutionBatchSql {

  // the rows as the statements name them: executions e as locked, workers lw as locked, items p, what they ask of
  // each counter a, what the granted ask of each worker g, what the changed give back r, for CoreRulesInSql
  private static final Table<ExecutionRecord> E = EXECUTION.as("e");
  private static final Table<WorkerRecord> LW = WORKER.as("lw");
  private static final Field<JSONB> P_REQUIREMENTS = field(name("p", "requirements"), JSONB.class);
  private static final Field<String> A_COUNTER = field(name("a", "counter"), String.class);
  private static final Field<Integer> A_UPTO = field(name("a", "upto"), Integer.class);
  private static final Field<JSONB> G_AMOUNTS = field(name("g", "amounts"), JSONB.class);
  private static final Field<JSONB> R_AMOUNTS = field(name("r", "amounts"), JSONB.class);
  private static final Field<Instant> P_AT = field(name("p", "at"), Instant.class);
  private static final Field<String> P_AT_TEXT = field(name("p", "at_text"), String.class);
  private static final Field<Long> G_WORKER = field(name("g", "worker"), Long.class);
  private static final Field<String> G_AT_TEXT = field(name("g", "at_text"), String.class);

  /**
   * Places executions on workers: each row as {@link ExecutionAssignments}' statement does, a worker's room in each
   * resource kind going to its items in their order. An item is granted while every counter it reserves has room for
   * it and for all the items before it on the same worker ({@code upto}), granted or not, which it would then have
   * alone too. One that is refused is {@code worker_full} as one statement each would have answered, unless an item
   * before it that reserves more than a slot (GPUs, ...) was refused: that one's count may have held it back, so it
   * is left to the statement for one execution ({@code alone}).
   */
  static final String ASSIGN = filled("""
      WITH p AS (
        SELECT execution, worker, at::timestamptz AS at, at AS at_text, ord
        FROM unnest(?::bigint[], ?::bigint[], ?::text[]) WITH ORDINALITY AS p(execution, worker, at, ord)
      ), e AS (
        {locked executions}
      ), ranked AS (
        SELECT p.*, e.reserves, e.requirements FROM p JOIN e ON e.id = p.execution
        WHERE {e schedulable}
      ), asked AS (
        SELECT p.execution, a.counter,
               sum(a.amount::int) OVER (PARTITION BY p.worker, a.counter ORDER BY p.ord)::int AS upto
        FROM ranked p CROSS JOIN LATERAL jsonb_each_text(p.reserves) AS a(counter, amount)
      ), lw AS (
        SELECT y.id, y.running, y.reserved, y.capabilities, y.status, y.cordoned, y.last_heartbeat,
               y.heartbeat_interval_seconds
        FROM (SELECT DISTINCT worker FROM ranked ORDER BY worker) i
        CROSS JOIN LATERAL (SELECT * FROM worker WHERE worker.id = i.worker FOR UPDATE) y
      ), judged AS (
        SELECT p.*, {lw takes new work at p.at}
                    AND NOT EXISTS (SELECT 1 FROM asked a WHERE a.execution = p.execution
                                    AND NOT {lw has room for a.upto of a.counter for p.requirements}) AS fits
        FROM ranked p JOIN lw ON lw.id = p.worker
      ), granted AS (
        SELECT * FROM judged WHERE fits
      ), g AS (
        SELECT t.worker, jsonb_object_agg(t.counter, t.amount) AS amounts
        FROM (SELECT granted.worker, a.counter, sum(a.amount::int)::int AS amount
              FROM granted CROSS JOIN LATERAL jsonb_each_text(granted.reserves) AS a(counter, amount)
              GROUP BY granted.worker, a.counter) t
        GROUP BY t.worker
      ), w AS (
        UPDATE worker SET {worker takes g.amounts}
        FROM g WHERE worker.id = g.worker RETURNING worker.id
      ), x AS (
        UPDATE execution SET status = '{scheduled}', worker = g.worker, attempt = execution.attempt + 1,
          status_since = g.at, attempts = {attempts with g's scheduled}, updated = current_timestamp
        FROM granted g WHERE execution.id = g.execution RETURNING execution.*
      )
      SELECT 'assigned' AS outcome, {columns of x} FROM x
      UNION ALL
      SELECT CASE WHEN NOT {e schedulable} THEN 'not_waiting'
                  WHEN EXISTS (SELECT 1 FROM judged j JOIN judged q ON q.worker = j.worker AND q.ord < j.ord
                               WHERE j.execution = e.id AND NOT q.fits
                                 AND q.reserves - '{slots}' <> jsonb_build_object()) THEN 'alone'
                  ELSE 'worker_full' END,
             {columns of e}
      FROM e WHERE e.id NOT IN (SELECT id FROM x)
      """, Map.of("{locked executions}", locked("*"),
      "{e schedulable}", sql(schedulable(E.field(EXECUTION.STATUS))),
      "{lw takes new work at p.at}", sql(takesNewWork(LW, P_AT)),
      "{lw has room for a.upto of a.counter for p.requirements}", sql(hasRoom(LW, A_COUNTER, A_UPTO,
          P_REQUIREMENTS)),
      "{worker takes g.amounts}", assignments(taking(WORKER, G_AMOUNTS)),
      "{scheduled}", ExecutionStatus.SCHEDULED.wireName(), "{slots}", Reservations.SLOTS,
      "{attempts with g's scheduled}", sql(withScheduledAttempt(EXECUTION.ATTEMPTS, EXECUTION.ATTEMPT, G_WORKER,
          G_AT_TEXT)),
      "{columns of x}", prefixed("x"), "{columns of e}", prefixed("e")));

  /** Starts attempts, as {@link ExecutionStarts}' statement does for one. */
  static final String START = filled("""
      WITH p AS (
        SELECT id, attempt, worker, at::timestamptz AS at, at AS at_text
        FROM unnest(?::bigint[], ?::int[], ?::bigint[], ?::text[]) AS p(id, attempt, worker, at)
      ), e AS (
        {locked executions}
      ), x AS (
        UPDATE execution SET status = '{running}', started_at = p.at, status_since = p.at,
          attempts = {attempts with p's started}, updated = current_timestamp
        FROM p JOIN e ON e.id = p.id
        WHERE execution.id = p.id AND execution.attempt = p.attempt AND execution.worker = p.worker
          AND {startable}
        RETURNING execution.*
      )
      SELECT 'started' AS started, {columns of x} FROM x
      UNION ALL
      SELECT 'as_is', {columns of e} FROM e WHERE e.id NOT IN (SELECT id FROM x)
      """, Map.of("{locked executions}", locked("*"),
      "{running}", ExecutionStatus.RUNNING.wireName(),
      "{attempts with p's started}", sql(withAttemptStarted(EXECUTION.ATTEMPTS, EXECUTION.ATTEMPT, P_AT_TEXT)),
      "{startable}", sql(startable(EXECUTION.STATUS)),
      "{columns of x}", prefixed("x"), "{columns of e}", prefixed("e")));

  /**
   * Compare-and-sets of executions decided on the callers' copies, as {@link ExecutionChanges}'
   * compare-and-set does for one: each row written only while it still has the copy's status, attempt and cancel
   * request; what those that stopped holding a worker reserved (slots, GPUs, ...) given back, per worker.
   */
  static final String CHANGE = filled("""
      WITH v AS (
        SELECT id, before_attempt, before_status, before_cancel::timestamptz AS before_cancel, status, worker,
               attempt, result::jsonb AS result, exit_code, stdout, stderr, message,
               started_at::timestamptz AS started_at, ended_at::timestamptz AS ended_at, status_since::timestamptz AS status_since,
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
        SELECT t.worker, jsonb_object_agg(t.counter, t.amount) AS amounts
        FROM (SELECT x.released_worker AS worker, a.counter, sum(a.amount::int)::int AS amount
              FROM x CROSS JOIN LATERAL jsonb_each_text(x.reserves) AS a(counter, amount)
              WHERE x.released_worker IS NOT NULL GROUP BY x.released_worker, a.counter) t
        GROUP BY t.worker
      ), lw AS (
        SELECT y.id FROM (SELECT worker FROM r ORDER BY worker) i
        CROSS JOIN LATERAL (SELECT id FROM worker WHERE worker.id = i.worker FOR UPDATE) y
      ), w AS (
        UPDATE worker SET {worker gives back r.amounts}
        FROM r JOIN lw ON lw.id = r.worker WHERE worker.id = r.worker RETURNING worker.id
      )
      SELECT {columns of x} FROM x
      """, Map.of("{locked executions}", locked("id"),
      "{worker gives back r.amounts}", assignments(givingBack(WORKER, R_AMOUNTS)),
      "{columns of x}", prefixed("x")));

  /** Reads executions by id. */
  static final String FIND = "SELECT " + prefixed("x") + " FROM unnest(?::bigint[]) AS i(id) CROSS JOIN LATERAL "
      + "(SELECT * FROM execution WHERE execution.id = i.id OFFSET 0) x";

  private ExecutionBatchSql() {
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

  private static String prefixed(String alias) {
    return Arrays.stream(EXECUTION.fields()).map(f -> alias + "." + f.getName()).collect(Collectors.joining(", "));
  }
}
