package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.jooq.Tables.EXECUTION;
import static io.attune.worker.adapter.postgres.jooq.Tables.WORKER;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.jsonbGetAttributeAsText;
import static org.jooq.impl.DSL.param;

import io.attune.worker.adapter.postgres.jooq.tables.records.ExecutionRecord;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionQuery;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.out.ExecutionStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The store's reads of several executions: the queue of those waiting (in all, per runtime, counted), those
 * scheduled too long, those a worker holds or a lost worker held, the worker of an action's last success, and
 * listings. {@link PostgresExecutionStore} extends it rather than holding it as a part: the port's reads would
 * otherwise be as many methods there that only pass the call on.
 */
abstract class ExecutionQueries implements ExecutionStore {

  private static final String REQUESTED = ExecutionStatus.REQUESTED.wireName();

  private final ExecutionStatements statements;
  private final Database db;
  private final Rows rows;
  // the hot reads, rendered once (see RenderedSql)
  private final RenderedSql waitingSql;
  private final RenderedSql waitingForSql;
  private final RenderedSql scheduledBeforeSql;
  private final RenderedSql lastSucceededSql;

  ExecutionQueries(ExecutionStatements statements) {
    this.statements = statements;
    this.db = statements.db();
    this.rows = statements.rows();
    DSLContext dsl = db.dsl();
    this.waitingSql = RenderedSql.of(dsl, dsl.selectFrom(EXECUTION)
        .where(EXECUTION.STATUS.eq(inline(REQUESTED)))
        .orderBy(EXECUTION.REQUESTED_AT, EXECUTION.ID)
        .limit(param("limit", Integer.class)));
    this.waitingForSql = RenderedSql.of(dsl, waitingForStatement(dsl));
    // the status inlined, so that the plan can use the partial index of succeeded rows
    this.lastSucceededSql = RenderedSql.of(dsl, dsl.select(EXECUTION.WORKER)
        .from(EXECUTION)
        .where(EXECUTION.ACTION_REF.eq(param("action", EXECUTION.ACTION_REF)))
        .and(EXECUTION.STATUS.eq(inline(ExecutionStatus.SUCCEEDED.wireName())))
        .and(EXECUTION.WORKER.isNotNull())
        .orderBy(EXECUTION.ENDED_AT.desc().nullsLast(), EXECUTION.ID.desc())
        .limit(inline(1)));
    this.scheduledBeforeSql = RenderedSql.of(dsl, dsl.selectFrom(EXECUTION)
        .where(EXECUTION.STATUS.eq(inline(ExecutionStatus.SCHEDULED.wireName())))
        .and(EXECUTION.STATUS_SINCE.le(param("cutoff", EXECUTION.STATUS_SINCE)))
        .orderBy(EXECUTION.STATUS_SINCE, EXECUTION.ID)
        .limit(param("limit", Integer.class)));
  }

  @Override
  public List<Execution> waiting(int limit) {
    return statements.all("list waiting executions", waitingSql, Map.of("limit", limit));
  }

  /** One grouped count over the waiting executions' partial index: no row leaves the database. */
  @Override
  public Map<RuntimeName, Long> waitingByRuntime() {
    Field<String> runtime = field("{0} ->> 'runtime'", String.class, EXECUTION.REQUIREMENTS);
    return db.call("count waiting executions per runtime", dsl -> {
      Map<RuntimeName, Long> counts = new HashMap<>();
      dsl.select(runtime, DSL.count()).from(EXECUTION)
          .where(EXECUTION.STATUS.eq(inline(REQUESTED)))
          .groupBy(runtime)
          .fetch()
          .forEach(row -> RuntimeName.parse(row.value1()).ifPresent(name -> counts.merge(name,
              (long) row.value2(), Long::sum)));
      return Map.copyOf(counts);
    });
  }

  @Override
  public List<Execution> waitingFor(Set<RuntimeName> runtimes, int limit) {
    String[] names = runtimes.stream().map(RuntimeName::value).sorted().toArray(String[]::new);
    return statements.all("list waiting executions of " + String.join(", ", names), waitingForSql,
        Map.of("runtimes", names, "per_runtime", limit, "limit", limit));
  }

  /**
   * The oldest waiting executions of each runtime, each runtime read in the order of
   * {@code execution_waiting_runtime_idx} so that its scan stops at the limit, then the oldest of them all:
   *
   * <pre>
   * SELECT x.* FROM unnest(:runtimes) AS r(runtime)
   *   CROSS JOIN LATERAL (SELECT * FROM execution WHERE status = 'requested' AND requirements ->> 'runtime' = r.runtime
   *                       ORDER BY requested_at, id LIMIT :limit) x
   * ORDER BY x.requested_at, x.id LIMIT :limit
   * </pre>
   *
   * <p>One scan for all the runtimes ({@code runtime = ANY(...)}) read every entry of the index for them and sorted:
   * about 850 buffers a call after 15,000 executions, before autovacuum had cleaned the entries of those placed.
   */
  private static Query waitingForStatement(DSLContext dsl) {
    Table<?> runtimes = DSL.unnest(param("runtimes", String[].class)).as("r", "runtime");
    Field<String> runtime = runtimes.field("runtime", String.class);
    Table<ExecutionRecord> oldest = DSL.lateral(dsl.selectFrom(EXECUTION)
        .where(EXECUTION.STATUS.eq(inline(REQUESTED)))
        .and(jsonbGetAttributeAsText(EXECUTION.REQUIREMENTS, inline("runtime")).eq(runtime))
        .orderBy(EXECUTION.REQUESTED_AT, EXECUTION.ID)
        .limit(param("per_runtime", Integer.class))).as("x");
    return dsl.select(oldest.fields()).from(runtimes).crossJoin(oldest)
        .orderBy(oldest.field(EXECUTION.REQUESTED_AT), oldest.field(EXECUTION.ID))
        .limit(param("limit", Integer.class));
  }

  @Override
  public List<Execution> scheduledBefore(Instant cutoff, int limit) {
    return statements.all("list executions scheduled without starting", scheduledBeforeSql,
        Map.of("cutoff", Rows.stored(cutoff), "limit", limit));
  }

  /** Served by {@code execution_succeeded_by_action_idx} (V10): one index probe, however long the history. */
  @Override
  public Optional<WorkerId> lastSucceededOn(ActionRef action) {
    return statements.oneRecord("find the worker that last ran " + action, lastSucceededSql,
        Map.of("action", action.toString()), EXECUTION.WORKER).map(row -> new WorkerId(row.get(EXECUTION.WORKER)));
  }

  @Override
  public List<Execution> list(ExecutionQuery query) {
    Condition matching = DSL.noCondition();
    if (query.status().isPresent()) {
      matching = matching.and(EXECUTION.STATUS.eq(query.status().get().wireName()));
    }
    if (query.action().isPresent()) {
      matching = matching.and(EXECUTION.ACTION_REF.eq(query.action().get().toString()));
    }
    Condition where = matching;
    return db.call("list executions", dsl -> dsl.selectFrom(EXECUTION)
        .where(where)
        .orderBy(EXECUTION.ID.desc())
        .limit(query.limit())
        .fetch(rows::execution));
  }

  @Override
  public List<Execution> heldBy(WorkerId worker) {
    return db.call("find executions held by worker " + worker, dsl -> dsl.selectFrom(EXECUTION)
        .where(EXECUTION.WORKER.eq(worker.value()).and(CoreRulesInSql.holdsWorker(EXECUTION.STATUS)))
        .orderBy(EXECUTION.ID)
        .fetch(rows::execution));
  }

  /** Held by a worker that is gone, or lost ({@link CoreRulesInSql#lost}). */
  @Override
  public List<Execution> heldByLostWorkers(Instant now) {
    return db.call("find executions held by lost workers", dsl -> dsl.select(EXECUTION.fields())
        .from(EXECUTION).leftJoin(WORKER).on(WORKER.ID.eq(EXECUTION.WORKER))
        .where(CoreRulesInSql.holdsWorker(EXECUTION.STATUS))
        .and(WORKER.ID.isNull().or(CoreRulesInSql.lost(WORKER, now)))
        .orderBy(EXECUTION.ID)
        .fetch(r -> rows.execution(r.into(EXECUTION))));
  }
}
