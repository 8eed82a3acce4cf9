package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.jooq.Tables.EXECUTION;
import static io.attune.worker.adapter.postgres.jooq.Tables.WORKER;
import static org.jooq.impl.DSL.currentInstant;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;
import static org.jooq.impl.DSL.when;

import io.attune.worker.adapter.postgres.jooq.tables.records.ExecutionRecord;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.out.ExecutionStore.Assignment;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jooq.CommonTableExpression;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Query;
import org.jooq.Record1;
import org.jooq.impl.DSL;

/**
 * Placing executions on workers together with the reservation of what they reserve (a slot, the GPUs they need,
 * ...): the worker's admission is checked again on the row version the statement locks ({@link CoreRulesInSql}).
 */
final class ExecutionAssignments {

  /** The column of the assign statement that says how it went. */
  private static final Field<String> OUTCOME = field(name("outcome"), String.class);

  private final ExecutionStatements statements;
  private final RenderedSql assignSql;

  ExecutionAssignments(ExecutionStatements statements) {
    this.statements = statements;
    this.assignSql = RenderedSql.of(statements.db().dsl(), assignStatement(statements.db().dsl()));
  }

  /** Concurrent placements in one statement, each answered as {@link #alone} would have. */
  List<Assignment> together(List<ExecutionBatches.Placement> placements) {
    Map<Long, ExecutionRow> rows = statements.batches().assign(placements);
    return placements.stream().map(p -> {
      ExecutionRow row = rows.get(p.execution().value());
      if (row == null) {
        throw new IllegalArgumentException("no execution " + p.execution());
      }
      return "alone".equals(row.mark()) ? alone(p) : answer(row, p.worker());
    }).toList();
  }

  /** One placement in the statement for one execution. */
  Assignment alone(ExecutionBatches.Placement placement) {
    ExecutionId id = placement.execution();
    WorkerId worker = placement.worker();
    Instant at = placement.at();
    ExecutionRow row = statements.one("assign execution " + id + " to worker " + worker, assignSql,
        Map.of("execution", id.value(), "worker", worker.value(), "now", at, "execution_x", id.value(),
            "worker_x", worker.value(), "now_x", at, "worker_a", worker.value(), "now_a", at.toString()))
        .orElseThrow(() -> new IllegalArgumentException("no execution " + id));
    return answer(row, worker);
  }

  /** The answer a row of an assign statement gives, by its outcome. */
  private Assignment answer(ExecutionRow row, WorkerId worker) {
    return switch (row.mark()) {
      case "assigned" -> new Assignment.Assigned(statements.execution(row));
      case "worker_full" -> new Assignment.WorkerFull(worker);
      default -> new Assignment.NotWaiting(statements.execution(row));
    };
  }

  /**
   * One statement, in autocommit:
   *
   * <pre>
   * WITH e AS (SELECT * FROM execution WHERE id = :id FOR UPDATE),           -- the latest version, locked
   *      w AS (UPDATE worker SET (running, reserved) = those plus e.reserves (slots, GPUs, ... by counter)
   *            WHERE id = :worker AND the worker takes new work at :now (active, not cordoned, fresh)
   *              AND every counter of e.reserves has room (what is reserved of it plus e's amount &lt;= what the
   *                  worker offers of its kind to e's requirements)
   *              AND EXISTS (SELECT 1 FROM e WHERE status = 'requested') RETURNING id),
   *      x AS (UPDATE execution SET status = 'scheduled', worker = :worker, attempt = attempt + 1
   *            , status_since = :now, attempts = attempts || the new attempt
   *            WHERE id = :id AND EXISTS (SELECT 1 FROM w) RETURNING *)
   * SELECT 'assigned', x.* FROM x
   * UNION ALL SELECT CASE WHEN e.status = 'requested' THEN 'worker_full' ELSE 'not_waiting' END, e.* FROM e
   *           WHERE NOT EXISTS (SELECT 1 FROM x)
   * </pre>
   *
   * <p>Concurrent schedulers queue on the execution's row lock and then on the worker's: the second sees the
   * first's committed change (PostgreSQL re-checks the conditions on the latest row version), so an execution is
   * placed once and a worker never gets more than its limit of any resource kind.
   */
  private static Query assignStatement(DSLContext dsl) {
    CommonTableExpression<ExecutionRecord> e = name("e").as(dsl.selectFrom(EXECUTION)
        .where(EXECUTION.ID.eq(param("execution", EXECUTION.ID))).forUpdate());
    Field<String> eStatus = e.field(EXECUTION.STATUS);
    Field<JSONB> reserves = DSL.field(select(e.field(EXECUTION.RESERVES)).from(e));
    Field<JSONB> requirements = DSL.field(select(e.field(EXECUTION.REQUIREMENTS)).from(e));
    CommonTableExpression<Record1<Long>> w = name("w").as(dsl.update(WORKER)
        .set(CoreRulesInSql.taking(WORKER, reserves))
        .where(WORKER.ID.eq(param("worker", WORKER.ID)))
        // the worker still takes work, checked on the row version the UPDATE locks: a decision made on data a
        // little behind cannot place work on a worker full, drained, cordoned or gone silent since
        .and(CoreRulesInSql.takesNewWork(WORKER, param("now", WORKER.LAST_HEARTBEAT)))
        .and(CoreRulesInSql.fits(WORKER, reserves, requirements))
        .andExists(selectOne().from(e).where(CoreRulesInSql.schedulable(eStatus)))
        .returningResult(WORKER.ID));
    CommonTableExpression<ExecutionRecord> x = name("x").as(dsl.update(EXECUTION)
        .set(EXECUTION.STATUS, inline(ExecutionStatus.SCHEDULED.wireName()))
        .set(EXECUTION.WORKER, param("worker_x", EXECUTION.WORKER))
        .set(EXECUTION.ATTEMPT, EXECUTION.ATTEMPT.plus(inline(1)))
        .set(EXECUTION.STATUS_SINCE, param("now_x", EXECUTION.STATUS_SINCE))
        .set(EXECUTION.ATTEMPTS, CoreRulesInSql.withScheduledAttempt(EXECUTION.ATTEMPTS, EXECUTION.ATTEMPT,
            param("worker_a", Long.class), param("now_a", String.class)))
        .set(EXECUTION.UPDATED, currentInstant())
        .where(EXECUTION.ID.eq(param("execution_x", EXECUTION.ID)))
        .andExists(selectOne().from(w))
        .returning());
    return dsl.with(e, w, x)
        .select(inline("assigned").as(OUTCOME), x.asterisk()).from(x)
        .unionAll(select(when(CoreRulesInSql.schedulable(eStatus), inline("worker_full"))
            .otherwise(inline("not_waiting")).as(OUTCOME), e.asterisk()).from(e).whereNotExists(selectOne().from(x)));
  }
}
