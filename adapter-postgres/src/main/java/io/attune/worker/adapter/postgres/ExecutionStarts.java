package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.jooq.Tables.EXECUTION;
import static org.jooq.impl.DSL.currentInstant;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;

import io.attune.worker.adapter.postgres.jooq.tables.records.ExecutionRecord;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jooq.CommonTableExpression;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;

/**
 * Starting a dispatched attempt in one statement that answers with the row as it is afterwards; the execution's own
 * rules then judge a row the statement left as it was.
 */
final class ExecutionStarts {

  /** The column of the start statement that says how it went. */
  private static final Field<String> STARTED = field(name("started"), String.class);

  private final ExecutionStatements statements;
  /** The general way to start, deciding on the row as read: for a start the statement did not make (a race). */
  private final Function<ExecutionBatches.Start, Transition> generalStart;
  private final RenderedSql startSql;

  ExecutionStarts(ExecutionStatements statements, Function<ExecutionBatches.Start, Transition> generalStart) {
    this.statements = statements;
    this.generalStart = generalStart;
    this.startSql = RenderedSql.of(statements.db().dsl(), startStatement(statements.db().dsl()));
  }

  /** Concurrent starts in one statement, each answered as {@link #alone} would have. */
  List<Optional<Transition>> together(List<ExecutionBatches.Start> starts) {
    Map<Long, ExecutionRow> rows = statements.batches().start(starts);
    return starts.stream().map(s -> Optional.ofNullable(rows.get(s.execution().value()))
        .map(row -> started(row, s))).toList();
  }

  /** One start in the statement for one execution; empty when there is no such execution. */
  Optional<Transition> alone(ExecutionBatches.Start start) {
    ExecutionId id = start.execution();
    Instant at = start.at();
    Optional<ExecutionRow> row = statements.one("start dispatched execution " + id, startSql, Map.of("execution",
        id.value(), "execution_x", id.value(), "attempt", start.attempt(), "worker", start.worker().value(),
        "started_at", at, "status_since", at, "started_text", at.toString()));
    return row.map(found -> started(found, start));
  }

  /** A row of a start statement as the answer: started, or judged by the execution's rules on the row as it is. */
  private Transition started(ExecutionRow row, ExecutionBatches.Start start) {
    Execution execution = statements.execution(row);
    if ("started".equals(row.mark())) {
      return new Transition.Applied(execution);
    }
    Transition judged = execution.start(start.attempt(), start.worker(), start.at());
    // the rules allow what the statement did not (a race): the change is made the general way
    return judged.applied() ? generalStart.apply(start) : judged;
  }

  /**
   * One statement that starts the attempt when its status allows it:
   *
   * <pre>
   * WITH e AS (SELECT * FROM execution WHERE id = :id FOR UPDATE),                 -- the latest version, locked
   *      x AS (UPDATE execution SET status = 'running', started_at = :now, status_since = :now
   *            , attempts = the current attempt started at :now
   *            WHERE id = :id AND attempt = :attempt AND worker = :worker AND status IN ('scheduled')
   *            RETURNING *)
   * SELECT 'started', x.* FROM x UNION ALL SELECT 'as_is', e.* FROM e WHERE NOT EXISTS (SELECT 1 FROM x)
   * </pre>
   *
   * <p>The statuses come from {@link ExecutionStatus#canMoveTo} ({@link CoreRulesInSql#startable}).
   */
  private static Query startStatement(DSLContext dsl) {
    CommonTableExpression<ExecutionRecord> e = name("e").as(dsl.selectFrom(EXECUTION)
        .where(EXECUTION.ID.eq(param("execution", EXECUTION.ID))).forUpdate());
    CommonTableExpression<ExecutionRecord> x = name("x").as(dsl.update(EXECUTION)
        .set(EXECUTION.STATUS, inline(ExecutionStatus.RUNNING.wireName()))
        .set(EXECUTION.STARTED_AT, param("started_at", EXECUTION.STARTED_AT))
        .set(EXECUTION.STATUS_SINCE, param("status_since", EXECUTION.STATUS_SINCE))
        .set(EXECUTION.ATTEMPTS, CoreRulesInSql.withAttemptStarted(EXECUTION.ATTEMPTS, EXECUTION.ATTEMPT,
            param("started_text", String.class)))
        .set(EXECUTION.UPDATED, currentInstant())
        .where(EXECUTION.ID.eq(param("execution_x", EXECUTION.ID)))
        .and(EXECUTION.ATTEMPT.eq(param("attempt", EXECUTION.ATTEMPT)))
        // only the worker the attempt was placed on starts it (Execution.start)
        .and(EXECUTION.WORKER.eq(param("worker", EXECUTION.WORKER)))
        .and(CoreRulesInSql.startable(EXECUTION.STATUS))
        .returning());
    return dsl.with(e, x)
        .select(inline("started").as(STARTED), x.asterisk()).from(x)
        .unionAll(select(inline("as_is").as(STARTED), e.asterisk()).from(e).whereNotExists(selectOne().from(x)));
  }
}
