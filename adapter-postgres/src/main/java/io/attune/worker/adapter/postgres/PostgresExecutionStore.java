package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.jooq.Tables.EXECUTION;
import static io.attune.worker.adapter.postgres.jooq.Tables.WORKER;
import static org.jooq.impl.DSL.currentInstant;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.greatest;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.jsonbGetAttributeAsText;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;
import static org.jooq.impl.DSL.when;

import io.attune.worker.adapter.postgres.jooq.tables.records.ExecutionRecord;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionQuery;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.port.out.ExecutionStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jooq.CommonTableExpression;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.Query;
import org.jooq.Record1;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Executions on the {@code execution} table, with the capacity they hold kept in {@code worker.running} and the
 * GPUs they hold in {@code worker.gpus_in_use}.
 *
 * <p>Placing an execution is one statement that locks the execution row, takes a slot of the worker only while
 * one is free and the execution is still requested, and moves the execution; every other change is a
 * compare-and-set on (id, attempt, status) that gives the slot back in the same statement when the execution
 * stops holding its worker. Rows are always locked execution first, worker second, so that these statements
 * cannot deadlock with each other.
 *
 * <p>Concurrent calls of the execution path (find, assign, start, finish on a copy) share one statement when they
 * overlap ({@link GroupCommit}, {@link ExecutionBatches}); a call alone runs the statement for one execution.
 */
final class PostgresExecutionStore implements ExecutionStore {

  /** After this many lost races on one execution something is wrong (a writer in a loop): give up loudly. */
  private static final int MAX_RACES = 16;
  /** The most concurrent calls one grouped statement takes. */
  static final int GROUP_LIMIT = 64;
  /**
   * How many grouped statements of one kind may run at once: with one, the sweep's concurrent placements at 10,000
   * workers went from 1,860 to 1,380 a second (one statement at a time uses one of the database's cores).
   */
  static final int GROUP_LANES = 2;

  private static final String REQUESTED = ExecutionStatus.REQUESTED.wireName();
  private static final List<String> HOLDING = List.of(ExecutionStatus.SCHEDULED.wireName(),
      ExecutionStatus.RUNNING.wireName());
  /** The column of the assign statement that says how it went. */
  private static final Field<String> OUTCOME = field(name("outcome"), String.class);

  /** The column of the start statement that says how it went. */
  private static final Field<String> STARTED = field(name("started"), String.class);
  /** The statuses an attempt may start from, by the execution's own rules. */
  private static final List<String> STARTABLE = Arrays.stream(ExecutionStatus.values())
      .filter(s -> s.canMoveTo(ExecutionStatus.RUNNING)).map(ExecutionStatus::wireName).toList();

  private final Database db;
  private final Rows rows;
  // the hot statements, rendered once (see RenderedSql)
  private final RenderedSql createSql;
  private final RenderedSql findSql;
  private final RenderedSql assignSql;
  private final RenderedSql startDispatchedSql;
  private final RenderedSql waitingSql;
  private final RenderedSql waitingForSql;
  private final RenderedSql scheduledBeforeSql;
  private final RenderedSql lastSucceededSql;
  /** The compare-and-set of a change, by whether it frees a slot and whether the holder must still be lost. */
  private final Map<CasShape, RenderedSql> casSql = new EnumMap<>(CasShape.class);
  // concurrent calls of the execution path's statements, grouped (see GroupCommit, ExecutionBatches)
  private final ExecutionBatches batches;
  private final GroupCommit<ExecutionId, Optional<Execution>> finds;
  private final GroupCommit<ExecutionBatches.Placement, Assignment> assigns;
  private final GroupCommit<ExecutionBatches.Start, Optional<Transition>> starts;
  private final GroupCommit<ExecutionBatches.Change, Optional<Execution>> finishes;

  PostgresExecutionStore(Database db, Rows rows) {
    this.db = db;
    this.rows = rows;
    DSLContext dsl = db.dsl();
    this.createSql = RenderedSql.of(dsl, createStatement(dsl));
    this.findSql = RenderedSql.of(dsl, dsl.selectFrom(EXECUTION).where(EXECUTION.ID.eq(param("id", EXECUTION.ID))));
    this.assignSql = RenderedSql.of(dsl, assignStatement(dsl));
    this.startDispatchedSql = RenderedSql.of(dsl, startDispatchedStatement(dsl));
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
    for (CasShape shape : CasShape.values()) {
      casSql.put(shape, RenderedSql.of(dsl, compareAndSetStatement(dsl, shape)));
    }
    this.batches = new ExecutionBatches(db);
    this.finds = new GroupCommit<>(this::load, this::findTogether, Function.identity(), GROUP_LIMIT, GROUP_LANES);
    this.assigns = new GroupCommit<>(this::assignAlone, this::assignTogether, ExecutionBatches.Placement::execution,
        GROUP_LIMIT, GROUP_LANES);
    this.starts = new GroupCommit<>(this::startAlone, this::startTogether, ExecutionBatches.Start::execution,
        GROUP_LIMIT, GROUP_LANES);
    this.finishes = new GroupCommit<>(c -> compareAndSet("finish execution " + c.before().id(), c.before(),
        c.after(), CasShape.Guard.NONE, Instant.EPOCH), this::finishTogether, c -> c.before().id(), GROUP_LIMIT,
        GROUP_LANES);
  }

  @Override
  public Execution create(ExecutionRequest request, Instant now) {
    Instant at = Rows.stored(now);
    String ref = request.requirements().actionRef().toString();
    Map<String, Object> values = Map.of("action_ref", ref,
        "requirements", JsonCodec.requirements(request.requirements()),
        "parameters", JsonCodec.tree(request.parameters()), "requested_at", at, "status_since", at);
    // the execution as stored, so that it equals what a later read returns (JSON numbers, microseconds)
    return one("create execution of " + ref, createSql, values)
        .map(this::execution)
        .orElseThrow(() -> new IllegalStateException("INSERT ... RETURNING returned no row"));
  }

  private static Query createStatement(DSLContext dsl) {
    return dsl.insertInto(EXECUTION)
        .set(EXECUTION.ACTION_REF, param("action_ref", EXECUTION.ACTION_REF))
        .set(EXECUTION.REQUIREMENTS, param("requirements", EXECUTION.REQUIREMENTS))
        .set(EXECUTION.PARAMETERS, param("parameters", EXECUTION.PARAMETERS))
        .set(EXECUTION.STATUS, inline(REQUESTED))
        .set(EXECUTION.ATTEMPT, inline(0))
        .set(EXECUTION.REQUESTED_AT, param("requested_at", EXECUTION.REQUESTED_AT))
        .set(EXECUTION.STATUS_SINCE, param("status_since", EXECUTION.STATUS_SINCE))
        .returning();
  }

  @Override
  public Optional<Execution> find(ExecutionId id) {
    return finds.call(id);
  }

  List<Optional<Execution>> findTogether(List<ExecutionId> ids) {
    Map<Long, ExecutionRow> found = batches.find(ids);
    return ids.stream().map(id -> Optional.ofNullable(found.get(id.value())).map(this::execution)).toList();
  }

  /**
   * One statement, in autocommit:
   *
   * <pre>
   * WITH e AS (SELECT * FROM execution WHERE id = :id FOR UPDATE),           -- the latest version, locked
   *      w AS (UPDATE worker SET running = running + 1, gpus_in_use = gpus_in_use + (e's gpu.count, 0 if none)
   *            WHERE id = :worker AND running &lt; max_concurrent_executions
   *              AND status = 'active' AND NOT cordoned AND last_heartbeat is fresh at :now
   *              AND (gpu.count = 0 OR gpus_in_use + gpu.count &lt;= the number of capabilities->'gpus' with
   *                   memory_mib &gt;= gpu.min_memory_mib)
   *              AND EXISTS (SELECT 1 FROM e WHERE status = 'requested') RETURNING id),
   *      x AS (UPDATE execution SET status = 'scheduled', worker = :worker, attempt = attempt + 1
   *            , status_since = :now WHERE id = :id AND EXISTS (SELECT 1 FROM w) RETURNING *)
   * SELECT 'assigned', x.* FROM x
   * UNION ALL SELECT CASE WHEN e.status = 'requested' THEN 'worker_full' ELSE 'not_waiting' END, e.* FROM e
   *           WHERE NOT EXISTS (SELECT 1 FROM x)
   * </pre>
   *
   * <p>Concurrent schedulers queue on the execution's row lock and then on the worker's: the second sees the
   * first's committed change (PostgreSQL re-checks the conditions on the latest row version), so an execution is
   * placed once and a worker never gets more than its limit, of slots or of GPUs.
   */
  @Override
  public Assignment assign(ExecutionId id, WorkerId worker, Instant now) {
    return assigns.call(new ExecutionBatches.Placement(id, worker, Rows.stored(now)));
  }

  /** Concurrent placements in one statement, each answered as {@link #assignAlone} would have. */
  List<Assignment> assignTogether(List<ExecutionBatches.Placement> placements) {
    Map<Long, ExecutionRow> rows = batches.assign(placements);
    return placements.stream().map(p -> {
      ExecutionRow row = rows.get(p.execution().value());
      if (row == null) {
        throw new IllegalArgumentException("no execution " + p.execution());
      }
      return switch (row.mark()) {
        case "assigned" -> new Assignment.Assigned(execution(row));
        case "worker_full" -> new Assignment.WorkerFull(p.worker());
        case "alone" -> assignAlone(p);
        default -> new Assignment.NotWaiting(execution(row));
      };
    }).toList();
  }

  private Assignment assignAlone(ExecutionBatches.Placement placement) {
    ExecutionId id = placement.execution();
    WorkerId worker = placement.worker();
    Instant at = placement.at();
    ExecutionRow row = one("assign execution " + id + " to worker " + worker, assignSql, Map.of("execution",
        id.value(), "worker", worker.value(), "now", at, "execution_x", id.value(), "worker_x", worker.value(),
        "now_x", at, "worker_a", worker.value(), "now_a", at.toString()))
        .orElseThrow(() -> new IllegalArgumentException("no execution " + id));
    Execution execution = execution(row);
    return switch (row.mark()) {
      case "assigned" -> new Assignment.Assigned(execution);
      case "worker_full" -> new Assignment.WorkerFull(worker);
      default -> new Assignment.NotWaiting(execution);
    };
  }

  private static Query assignStatement(DSLContext dsl) {
    CommonTableExpression<ExecutionRecord> e = name("e").as(dsl.selectFrom(EXECUTION)
        .where(EXECUTION.ID.eq(param("execution", EXECUTION.ID))).forUpdate());
    Field<String> eStatus = e.field(EXECUTION.STATUS);
    Field<Integer> gpusNeeded = DSL.field(select(gpuCount(e.field(EXECUTION.REQUIREMENTS))).from(e));
    Field<Integer> minMemory = DSL.field(select(DSL.field("coalesce(({0} -> 'gpu' ->> 'min_memory_mib')::int, 0)",
        Integer.class, e.field(EXECUTION.REQUIREMENTS))).from(e));
    // the worker's GPUs with enough memory, counted on the row version the UPDATE locks
    Field<Integer> gpusFitting = DSL.field("(SELECT count(*)::int FROM jsonb_array_elements(coalesce({0} -> 'gpus', "
        + "'[]'::jsonb)) AS g(gpu) WHERE (g.gpu ->> 'memory_mib')::int >= {1})", Integer.class, WORKER.CAPABILITIES,
        minMemory);
    CommonTableExpression<Record1<Long>> w = name("w").as(dsl.update(WORKER)
        .set(WORKER.RUNNING, WORKER.RUNNING.plus(inline(1)))
        .set(WORKER.GPUS_IN_USE, WORKER.GPUS_IN_USE.plus(gpusNeeded))
        .where(WORKER.ID.eq(param("worker", WORKER.ID)))
        .and(WORKER.RUNNING.lt(PostgresWorkerRegistry.MAX_CONCURRENT))
        .and(gpusNeeded.eq(inline(0)).or(WORKER.GPUS_IN_USE.plus(gpusNeeded).le(gpusFitting)))
        // the worker still takes work, checked on the row version the UPDATE locks: a decision made on data a
        // little behind cannot place work on a worker drained, cordoned or gone silent since
        .and(WORKER.STATUS.eq(inline(WorkerStatus.ACTIVE.wireName())))
        .and(WORKER.CORDONED.eq(inline(false)))
        .and(DSL.not(PostgresWorkerRegistry.stale(param("now", WORKER.LAST_HEARTBEAT))))
        .andExists(selectOne().from(e).where(eStatus.eq(inline(REQUESTED))))
        .returningResult(WORKER.ID));
    CommonTableExpression<ExecutionRecord> x = name("x").as(dsl.update(EXECUTION)
        .set(EXECUTION.STATUS, inline(ExecutionStatus.SCHEDULED.wireName()))
        .set(EXECUTION.WORKER, param("worker_x", EXECUTION.WORKER))
        .set(EXECUTION.ATTEMPT, EXECUTION.ATTEMPT.plus(inline(1)))
        .set(EXECUTION.STATUS_SINCE, param("now_x", EXECUTION.STATUS_SINCE))
        // the new attempt, in the shape of AttemptTree (Execution.schedule makes the same one)
        .set(EXECUTION.ATTEMPTS, field("{0} || jsonb_build_array(jsonb_build_object('attempt', {1} + 1, "
            + "'worker_id', cast({2} as bigint), 'scheduled_at', cast({3} as text), 'started_at', null, "
            + "'ended_at', null, 'outcome', null, 'reason', ''))", EXECUTION.ATTEMPTS.getDataType(),
            EXECUTION.ATTEMPTS, EXECUTION.ATTEMPT, param("worker_a", Long.class), param("now_a", String.class)))
        .set(EXECUTION.UPDATED, currentInstant())
        .where(EXECUTION.ID.eq(param("execution_x", EXECUTION.ID)))
        .andExists(selectOne().from(w))
        .returning());
    return dsl.with(e, w, x)
        .select(inline("assigned").as(OUTCOME), x.asterisk()).from(x)
        .unionAll(select(when(eStatus.eq(inline(REQUESTED)), inline("worker_full")).otherwise(inline("not_waiting"))
            .as(OUTCOME), e.asterisk()).from(e).whereNotExists(selectOne().from(x)));
  }

  /** The GPUs the requirements need: their {@code gpu.count}, 0 when they have no {@code gpu}. */
  private static Field<Integer> gpuCount(Field<JSONB> requirements) {
    return DSL.field("coalesce(({0} -> 'gpu' ->> 'count')::int, 0)", Integer.class, requirements);
  }

  @Override
  public Transition start(ExecutionId id, int attempt, WorkerId worker, Instant now) {
    return change("start execution " + id, id, e -> e.start(attempt, worker, Rows.stored(now)));
  }

  /**
   * One statement that starts the attempt when its status allows it and answers with the row as it is afterwards:
   *
   * <pre>
   * WITH e AS (SELECT * FROM execution WHERE id = :id FOR UPDATE),                 -- the latest version, locked
   *      x AS (UPDATE execution SET status = 'running', started_at = :now, status_since = :now
   *            WHERE id = :id AND attempt = :attempt AND worker = :worker AND status IN ('scheduled')
   *            RETURNING *)
   * SELECT 'started', x.* FROM x UNION ALL SELECT 'as_is', e.* FROM e WHERE NOT EXISTS (SELECT 1 FROM x)
   * </pre>
   *
   * <p>The statuses come from {@link ExecutionStatus#canMoveTo}; the execution's own rules then judge the row as it
   * is: they give the reason of a refusal, and should they allow what the statement did not (a race), the change
   * is made the general way.
   */
  @Override
  public Optional<Transition> startDispatched(ExecutionId id, int attempt, WorkerId worker, Instant now) {
    return starts.call(new ExecutionBatches.Start(id, attempt, worker, Rows.stored(now)));
  }

  /** Concurrent starts in one statement, each answered as {@link #startAlone} would have. */
  List<Optional<Transition>> startTogether(List<ExecutionBatches.Start> starts) {
    Map<Long, ExecutionRow> rows = batches.start(starts);
    return starts.stream().map(s -> Optional.ofNullable(rows.get(s.execution().value()))
        .map(row -> started(row, s))).toList();
  }

  private Optional<Transition> startAlone(ExecutionBatches.Start start) {
    ExecutionId id = start.execution();
    Instant at = start.at();
    Optional<ExecutionRow> row = one("start dispatched execution " + id, startDispatchedSql, Map.of("execution",
        id.value(), "execution_x", id.value(), "attempt", start.attempt(), "worker", start.worker().value(),
        "started_at", at, "status_since", at, "started_text", at.toString()));
    return row.map(found -> started(found, start));
  }

  /** A row of a start statement as the answer: started, or judged by the execution's rules on the row as it is. */
  private Transition started(ExecutionRow row, ExecutionBatches.Start start) {
    Execution execution = execution(row);
    if ("started".equals(row.mark())) {
      return new Transition.Applied(execution);
    }
    Transition judged = execution.start(start.attempt(), start.worker(), start.at());
    // the rules allow what the statement did not (a race): the change is made the general way
    return judged.applied() ? start(start.execution(), start.attempt(), start.worker(), start.at()) : judged;
  }

  private static Query startDispatchedStatement(DSLContext dsl) {
    CommonTableExpression<ExecutionRecord> e = name("e").as(dsl.selectFrom(EXECUTION)
        .where(EXECUTION.ID.eq(param("execution", EXECUTION.ID))).forUpdate());
    CommonTableExpression<ExecutionRecord> x = name("x").as(dsl.update(EXECUTION)
        .set(EXECUTION.STATUS, inline(ExecutionStatus.RUNNING.wireName()))
        .set(EXECUTION.STARTED_AT, param("started_at", EXECUTION.STARTED_AT))
        .set(EXECUTION.STATUS_SINCE, param("status_since", EXECUTION.STATUS_SINCE))
        // the current attempt's start, when it is the list's last (as Execution.start does)
        .set(EXECUTION.ATTEMPTS, field("CASE WHEN ({0} -> -1 ->> 'attempt') = cast({1} as text) "
            + "THEN jsonb_set({0}, ARRAY['-1', 'started_at'], to_jsonb(cast({2} as text))) ELSE {0} END",
            EXECUTION.ATTEMPTS.getDataType(), EXECUTION.ATTEMPTS, EXECUTION.ATTEMPT,
            param("started_text", String.class)))
        .set(EXECUTION.UPDATED, currentInstant())
        .where(EXECUTION.ID.eq(param("execution_x", EXECUTION.ID)))
        .and(EXECUTION.ATTEMPT.eq(param("attempt", EXECUTION.ATTEMPT)))
        // only the worker the attempt was placed on starts it (Execution.start)
        .and(EXECUTION.WORKER.eq(param("worker", EXECUTION.WORKER)))
        .and(EXECUTION.STATUS.in(STARTABLE.stream().map(DSL::inline).toList()))
        .returning());
    return dsl.with(e, x)
        .select(inline("started").as(STARTED), x.asterisk()).from(x)
        .unionAll(select(inline("as_is").as(STARTED), e.asterisk()).from(e).whereNotExists(selectOne().from(x)));
  }

  @Override
  public Transition finish(ExecutionId id, int attempt, ExecutionStatus outcome, ExecutionResult result,
      Instant now) {
    return change("finish execution " + id, id, e -> e.finish(attempt, outcome, result, Rows.stored(now)));
  }

  /**
   * Decided on the copy without reading the row; the write may share a statement with the ends of the worker's
   * other slots ({@link #finishes}). When the row moved on since the copy, or the copy's rules refuse, the change is
   * decided again on the stored row.
   */
  @Override
  public Transition finish(Execution held, ExecutionStatus outcome, ExecutionResult result, Instant now) {
    int attempt = held.attempt();
    Instant at = Rows.stored(now);
    Transition decided = held.finish(attempt, outcome, result, at);
    if (decided.applied()) {
      Optional<Execution> stored = finishes.call(new ExecutionBatches.Change(held, decided.execution()));
      if (stored.isPresent()) {
        return new Transition.Applied(stored.get());
      }
    }
    return finish(held.id(), attempt, outcome, result, now);
  }

  List<Optional<Execution>> finishTogether(List<ExecutionBatches.Change> changes) {
    Map<Long, ExecutionRow> written = batches.change(changes);
    return changes.stream().map(c -> Optional.ofNullable(written.get(c.before().id().value())).map(this::execution))
        .toList();
  }

  @Override
  public Transition markUnschedulable(ExecutionId id, ExecutionResult explanation, Instant now) {
    return change("mark execution " + id + " unschedulable", id,
        e -> e.markUnschedulable(explanation, Rows.stored(now)));
  }

  @Override
  public Transition recover(ExecutionId id, int attempt, boolean requeue, String reason, Instant now) {
    return change("recover execution " + id, id, recovery(attempt, requeue, reason, now));
  }

  @Override
  public Transition requeueUndelivered(ExecutionId id, int attempt, String reason, Instant now) {
    return change("requeue execution " + id + " whose dispatch was not delivered", id,
        e -> e.requeueUndelivered(attempt, reason, Rows.stored(now)));
  }

  @Override
  public Transition recoverFromLostWorker(ExecutionId id, int attempt, boolean requeue, String reason, Instant now) {
    return change("recover execution " + id + " from its lost worker", id,
        recovery(attempt, requeue, reason, now), CasShape.Guard.HOLDER_LOST, Rows.stored(now),
        "its worker is no longer lost");
  }

  /** The attempt is lost: queue the execution again, or abandon it when no attempt remains. */
  private static Function<Execution, Transition> recovery(int attempt, boolean requeue, String reason, Instant now) {
    Instant at = Rows.stored(now);
    return e -> requeue ? e.requeue(attempt, reason, at) : e.abandon(attempt, reason, at);
  }

  @Override
  public Transition cancel(ExecutionId id, String reason, Instant now) {
    return change("cancel execution " + id, id, e -> e.cancel(reason, Rows.stored(now)));
  }

  /** Served by {@code execution_succeeded_by_action_idx} (V10): one index probe, however long the history. */
  @Override
  public Optional<WorkerId> lastSucceededOn(ActionRef action) {
    return oneRecord("find the worker that last ran " + action, lastSucceededSql, Map.of("action", action.toString()),
        EXECUTION.WORKER).map(row -> new WorkerId(row.get(EXECUTION.WORKER)));
  }

  @Override
  public Transition requestCancel(ExecutionId id, String reason, Instant now) {
    return change("cancel execution " + id + " on request", id, e -> e.requestCancel(reason, Rows.stored(now)));
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
        .where(EXECUTION.WORKER.eq(worker.value()).and(EXECUTION.STATUS.in(HOLDING)))
        .orderBy(EXECUTION.ID)
        .fetch(rows::execution));
  }

  @Override
  public List<Execution> heldByLostWorkers(Instant now) {
    return db.call("find executions held by lost workers", dsl -> dsl.select(EXECUTION.fields())
        .from(EXECUTION).leftJoin(WORKER).on(WORKER.ID.eq(EXECUTION.WORKER))
        .where(EXECUTION.STATUS.in(HOLDING))
        .and(WORKER.ID.isNull()
            .or(WORKER.STATUS.eq(WorkerStatus.INACTIVE.wireName()))
            .or(PostgresWorkerRegistry.stale(now)))
        .orderBy(EXECUTION.ID)
        .fetch(r -> rows.execution(r.into(EXECUTION))));
  }

  @Override
  public List<Execution> waiting(int limit) {
    return all("list waiting executions", waitingSql, Map.of("limit", limit));
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
    return all("list waiting executions of " + String.join(", ", names), waitingForSql,
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
    return all("list executions scheduled without starting", scheduledBeforeSql,
        Map.of("cutoff", Rows.stored(cutoff), "limit", limit));
  }

  /**
   * Decides the change with the execution's own rules on the row as read, then writes it only if the row still has
   * the status and attempt it was decided on; when another writer came first, decides again on the new row.
   */
  private Transition change(String operation, ExecutionId id, Function<Execution, Transition> change) {
    return change(operation, id, change, CasShape.Guard.NONE, Instant.EPOCH, "");
  }

  /**
   * @param guard a further condition of the UPDATE, judged at {@code at}; when it alone stops the change (the row is
   *     as it was read), the answer is a refusal saying {@code unless}
   */
  private Transition change(String operation, ExecutionId id, Function<Execution, Transition> change,
      CasShape.Guard guard, Instant at, String unless) {
    Execution before = existing(id);
    for (int race = 0; race < MAX_RACES; race++) {
      Transition transition = change.apply(before);
      if (!transition.applied()) {
        return transition;
      }
      Optional<Execution> stored = compareAndSet(operation, before, transition.execution(), guard, at);
      if (stored.isPresent()) {
        return new Transition.Applied(stored.get());
      }
      Execution now = existing(id);
      if (now.status() == before.status() && now.attempt() == before.attempt()
          && now.cancelRequestedAt().equals(before.cancelRequestedAt())) {
        return new Transition.Refused(now, "execution " + id + " was left as it is: " + unless);
      }
      before = now;
    }
    throw new InfrastructureException(operation, "the execution kept changing under " + MAX_RACES + " attempts");
  }

  /** The shapes of the compare-and-set statement: each rendered once. */
  private enum CasShape {
    KEEP(false, Guard.NONE), RELEASE(true, Guard.NONE), KEEP_IF_LOST(false, Guard.HOLDER_LOST),
    RELEASE_IF_LOST(true, Guard.HOLDER_LOST);

    /** A further condition of the UPDATE. */
    enum Guard { NONE, HOLDER_LOST }

    final boolean releases;
    final Guard guard;

    CasShape(boolean releases, Guard guard) {
      this.releases = releases;
      this.guard = guard;
    }

    static CasShape of(boolean releases, Guard guard) {
      return Arrays.stream(values()).filter(s -> s.releases == releases && s.guard == guard).findFirst()
          .orElseThrow();
    }
  }

  /**
   * One statement: the conditional UPDATE of the execution and, when it stops holding its worker, the release of
   * the worker's slot, which only happens if the UPDATE did.
   *
   * @return the row as changed, empty when another writer changed it first
   */
  private Optional<Execution> compareAndSet(String operation, Execution before, Execution after, CasShape.Guard guard,
      Instant at) {
    ExecutionRecord result = new ExecutionRecord();
    Rows.setResult(result, after.result());
    // status and attempt unchanged since the read imply the worker is unchanged too
    Optional<WorkerId> released = new ExecutionBatches.Change(before, after).released();
    Map<String, Object> values = new HashMap<>();
    values.put("status", after.status().wireName());
    values.put("worker", after.worker().map(WorkerId::value).orElse(null));
    values.put("attempt", after.attempt());
    values.put("result", result.getResult());
    values.put("exit_code", result.getExitCode());
    values.put("stdout", result.getStdout());
    values.put("stderr", result.getStderr());
    values.put("message", result.getMessage());
    values.put("started_at", after.startedAt().orElse(null));
    values.put("ended_at", after.endedAt().orElse(null));
    values.put("status_since", after.since());
    values.put("attempts", JsonCodec.attempts(after.attempts()));
    values.put("cancel_requested_at", after.cancelRequestedAt().orElse(null));
    values.put("before_cancel_requested_at", before.cancelRequestedAt().orElse(null));
    values.put("id", before.id().value());
    values.put("before_attempt", before.attempt());
    values.put("before_status", before.status().wireName());
    if (guard == CasShape.Guard.HOLDER_LOST) {
      values.put("lost_at", at);
    }
    released.ifPresent(worker -> values.put("released_worker", worker.value()));
    return one(operation, casSql.get(CasShape.of(released.isPresent(), guard)), values).map(this::execution);
  }

  private static Query compareAndSetStatement(DSLContext dsl, CasShape shape) {
    Condition also = shape.guard == CasShape.Guard.NONE ? DSL.noCondition()
        // the holder is still lost when the UPDATE runs: gone, inactive, or stale by the rule of heldByLostWorkers
        : EXECUTION.WORKER.isNull().or(DSL.notExists(selectOne().from(WORKER)
            .where(WORKER.ID.eq(EXECUTION.WORKER)).and(WORKER.STATUS.ne(inline(WorkerStatus.INACTIVE.wireName())))
            .and(DSL.not(PostgresWorkerRegistry.stale(param("lost_at", WORKER.LAST_HEARTBEAT))))));
    CommonTableExpression<ExecutionRecord> x = name("x").as(dsl.update(EXECUTION)
        .set(EXECUTION.STATUS, param("status", EXECUTION.STATUS))
        .set(EXECUTION.WORKER, param("worker", EXECUTION.WORKER))
        .set(EXECUTION.ATTEMPT, param("attempt", EXECUTION.ATTEMPT))
        .set(EXECUTION.RESULT, param("result", EXECUTION.RESULT))
        .set(EXECUTION.EXIT_CODE, param("exit_code", EXECUTION.EXIT_CODE))
        .set(EXECUTION.STDOUT, param("stdout", EXECUTION.STDOUT))
        .set(EXECUTION.STDERR, param("stderr", EXECUTION.STDERR))
        .set(EXECUTION.MESSAGE, param("message", EXECUTION.MESSAGE))
        .set(EXECUTION.STARTED_AT, param("started_at", EXECUTION.STARTED_AT))
        .set(EXECUTION.ENDED_AT, param("ended_at", EXECUTION.ENDED_AT))
        .set(EXECUTION.STATUS_SINCE, param("status_since", EXECUTION.STATUS_SINCE))
        .set(EXECUTION.ATTEMPTS, param("attempts", EXECUTION.ATTEMPTS))
        .set(EXECUTION.CANCEL_REQUESTED_AT, param("cancel_requested_at", EXECUTION.CANCEL_REQUESTED_AT))
        .set(EXECUTION.UPDATED, currentInstant())
        .where(EXECUTION.ID.eq(param("id", EXECUTION.ID)))
        .and(EXECUTION.ATTEMPT.eq(param("before_attempt", EXECUTION.ATTEMPT)))
        .and(EXECUTION.STATUS.eq(param("before_status", EXECUTION.STATUS)))
        // a cancel requested since the read changes what the change must be (Execution.requeue)
        .and(EXECUTION.CANCEL_REQUESTED_AT.isNotDistinctFrom(param("before_cancel_requested_at",
            EXECUTION.CANCEL_REQUESTED_AT)))
        .and(also)
        .returning());
    if (!shape.releases) {
      return dsl.with(x).selectFrom(x);
    }
    CommonTableExpression<Record1<Long>> w = name("w").as(dsl.update(WORKER)
        .set(WORKER.RUNNING, greatest(WORKER.RUNNING.minus(inline(1)), inline(0)))
        // and the GPUs it held, which its requirements say (unchanged by the UPDATE)
        .set(WORKER.GPUS_IN_USE, greatest(WORKER.GPUS_IN_USE.minus(DSL.field(select(gpuCount(
            x.field(EXECUTION.REQUIREMENTS))).from(x))), inline(0)))
        .where(WORKER.ID.eq(param("released_worker", WORKER.ID)))
        .andExists(selectOne().from(x))
        .returningResult(WORKER.ID));
    return dsl.with(x, w).selectFrom(x);
  }

  private Optional<Execution> load(ExecutionId id) {
    return one("find execution " + id, findSql, Map.of("id", id.value())).map(this::execution);
  }

  private Execution existing(ExecutionId id) {
    return load(id).orElseThrow(() -> new IllegalArgumentException("no execution " + id));
  }

  private Execution execution(ExecutionRow row) {
    return rows.execution(row.columns());
  }

  /** Runs a statement rendered once; its first row, if any, as a record of the given columns. */
  private Optional<Record> oneRecord(String operation, RenderedSql sql, Map<String, ?> values, Field<?>... columns) {
    return db.jdbc(operation, connection -> {
      try (PreparedStatement statement = sql.prepare(connection, values); ResultSet row = statement.executeQuery()) {
        return db.dsl().fetchOptional(row, columns);
      }
    });
  }

  /** Runs a statement rendered once that answers with execution rows; its first row, if any. */
  private Optional<ExecutionRow> one(String operation, RenderedSql sql, Map<String, ?> values) {
    return db.jdbc(operation, connection -> {
      try (PreparedStatement statement = sql.prepare(connection, values); ResultSet row = statement.executeQuery()) {
        return row.next() ? Optional.of(ExecutionRow.read(row)) : Optional.empty();
      }
    });
  }

  /** Runs a query rendered once; every row as an execution. */
  private List<Execution> all(String operation, RenderedSql sql, Map<String, ?> values) {
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
