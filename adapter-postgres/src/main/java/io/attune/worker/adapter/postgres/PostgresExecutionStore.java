package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.jooq.Tables.EXECUTION;
import static io.attune.worker.adapter.postgres.jooq.Tables.WORKER;
import static org.jooq.impl.DSL.currentInstant;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.greatest;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;
import static org.jooq.impl.DSL.when;

import io.attune.worker.adapter.postgres.jooq.tables.records.ExecutionRecord;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.port.out.ExecutionStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jooq.CommonTableExpression;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.ResultQuery;
import org.jooq.impl.DSL;

/**
 * Executions on the {@code execution} table, with the capacity they hold kept in {@code worker.running}.
 *
 * <p>Placing an execution is one statement that locks the execution row, takes a slot of the worker only while
 * one is free and the execution is still requested, and moves the execution; every other change is a
 * compare-and-set on (id, attempt, status) that gives the slot back in the same statement when the execution
 * stops holding its worker. Rows are always locked execution first, worker second, so that these statements
 * cannot deadlock with each other.
 */
final class PostgresExecutionStore implements ExecutionStore {

  /** After this many lost races on one execution something is wrong (a writer in a loop): give up loudly. */
  private static final int MAX_RACES = 16;

  private static final String REQUESTED = ExecutionStatus.REQUESTED.wireName();
  private static final List<String> HOLDING = List.of(ExecutionStatus.SCHEDULED.wireName(),
      ExecutionStatus.RUNNING.wireName());
  /** The column of the assign statement that says how it went. */
  private static final Field<String> OUTCOME = field(name("outcome"), String.class);

  private final Database db;
  private final Rows rows;

  PostgresExecutionStore(Database db, Rows rows) {
    this.db = db;
    this.rows = rows;
  }

  @Override
  public Execution create(ExecutionRequest request, Instant now) {
    Instant at = Rows.stored(now);
    String ref = request.requirements().actionRef().toString();
    // the execution as stored, so that it equals what a later read returns (JSON numbers, microseconds)
    return db.call("create execution of " + ref, dsl -> rows.execution(dsl.insertInto(EXECUTION)
        .set(EXECUTION.ACTION_REF, ref)
        .set(EXECUTION.REQUIREMENTS, JsonCodec.requirements(request.requirements()))
        .set(EXECUTION.PARAMETERS, JsonCodec.tree(request.parameters()))
        .set(EXECUTION.STATUS, REQUESTED)
        .set(EXECUTION.ATTEMPT, 0)
        .set(EXECUTION.REQUESTED_AT, at)
        .set(EXECUTION.STATUS_SINCE, at)
        .returning()
        .fetchSingle()));
  }

  @Override
  public Optional<Execution> find(ExecutionId id) {
    return db.call("find execution " + id, dsl -> load(dsl, id));
  }

  /**
   * One statement, in autocommit:
   *
   * <pre>
   * WITH e AS (SELECT * FROM execution WHERE id = :id FOR UPDATE),           -- the latest version, locked
   *      w AS (UPDATE worker SET running = running + 1
   *            WHERE id = :worker AND running &lt; max_concurrent_executions
   *              AND status = 'active' AND NOT cordoned AND last_heartbeat is fresh at :now
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
   * placed once and a worker never gets more than its limit.
   */
  @Override
  public Assignment assign(ExecutionId id, WorkerId worker, Instant now) {
    Record row = db.call("assign execution " + id + " to worker " + worker,
        dsl -> assignStatement(dsl, id, worker, Rows.stored(now)).fetchOne());
    if (row == null) {
      throw new IllegalArgumentException("no execution " + id);
    }
    Execution execution = rows.execution(row.into(EXECUTION));
    return switch (row.get(OUTCOME)) {
      case "assigned" -> new Assignment.Assigned(execution);
      case "worker_full" -> new Assignment.WorkerFull(worker);
      default -> new Assignment.NotWaiting(execution);
    };
  }

  private static ResultQuery<Record> assignStatement(DSLContext dsl, ExecutionId id, WorkerId worker, Instant now) {
    CommonTableExpression<ExecutionRecord> e = name("e").as(dsl.selectFrom(EXECUTION)
        .where(EXECUTION.ID.eq(id.value())).forUpdate());
    Field<String> eStatus = e.field(EXECUTION.STATUS);
    CommonTableExpression<Record1<Long>> w = name("w").as(dsl.update(WORKER)
        .set(WORKER.RUNNING, WORKER.RUNNING.plus(1))
        .where(WORKER.ID.eq(worker.value()))
        .and(WORKER.RUNNING.lt(PostgresWorkerRegistry.MAX_CONCURRENT))
        // the worker still takes work, checked on the row version the UPDATE locks: a decision made on data a
        // little behind cannot place work on a worker drained, cordoned or gone silent since
        .and(WORKER.STATUS.eq(WorkerStatus.ACTIVE.wireName()))
        .and(WORKER.CORDONED.isFalse())
        .and(DSL.not(PostgresWorkerRegistry.stale(now)))
        .andExists(selectOne().from(e).where(eStatus.eq(REQUESTED)))
        .returningResult(WORKER.ID));
    CommonTableExpression<ExecutionRecord> x = name("x").as(dsl.update(EXECUTION)
        .set(EXECUTION.STATUS, ExecutionStatus.SCHEDULED.wireName())
        .set(EXECUTION.WORKER, worker.value())
        .set(EXECUTION.ATTEMPT, EXECUTION.ATTEMPT.plus(1))
        .set(EXECUTION.STATUS_SINCE, now)
        .set(EXECUTION.UPDATED, currentInstant())
        .where(EXECUTION.ID.eq(id.value()))
        .andExists(selectOne().from(w))
        .returning());
    return dsl.with(e, w, x)
        .select(inline("assigned").as(OUTCOME), x.asterisk()).from(x)
        .unionAll(select(when(eStatus.eq(REQUESTED), inline("worker_full")).otherwise(inline("not_waiting"))
            .as(OUTCOME), e.asterisk()).from(e).whereNotExists(selectOne().from(x)));
  }

  @Override
  public Transition start(ExecutionId id, int attempt, Instant now) {
    return change("start execution " + id, id, e -> e.start(attempt, Rows.stored(now)));
  }

  @Override
  public Transition finish(ExecutionId id, int attempt, ExecutionStatus outcome, ExecutionResult result,
      Instant now) {
    return change("finish execution " + id, id, e -> e.finish(attempt, outcome, result, Rows.stored(now)));
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
  public Transition recoverFromLostWorker(ExecutionId id, int attempt, boolean requeue, String reason, Instant now) {
    // the holder is still lost when the UPDATE runs: gone, inactive, or stale by the same rule as heldByLostWorkers
    Condition holderLost = EXECUTION.WORKER.isNull().or(DSL.notExists(selectOne().from(WORKER)
        .where(WORKER.ID.eq(EXECUTION.WORKER)).and(WORKER.STATUS.ne(WorkerStatus.INACTIVE.wireName()))
        .and(DSL.not(PostgresWorkerRegistry.stale(now)))));
    return change("recover execution " + id + " from its lost worker", id, recovery(attempt, requeue, reason, now),
        holderLost, "its worker is no longer lost");
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
    return db.call("list waiting executions", dsl -> dsl.selectFrom(EXECUTION)
        .where(EXECUTION.STATUS.eq(REQUESTED))
        .orderBy(EXECUTION.REQUESTED_AT, EXECUTION.ID)
        .limit(limit)
        .fetch(rows::execution));
  }

  @Override
  public List<Execution> scheduledBefore(Instant cutoff, int limit) {
    return db.call("list executions scheduled without starting", dsl -> dsl.selectFrom(EXECUTION)
        .where(EXECUTION.STATUS.eq(ExecutionStatus.SCHEDULED.wireName()))
        .and(EXECUTION.STATUS_SINCE.le(Rows.stored(cutoff)))
        .orderBy(EXECUTION.STATUS_SINCE, EXECUTION.ID)
        .limit(limit)
        .fetch(rows::execution));
  }

  /**
   * Decides the change with the execution's own rules on the row as read, then writes it only if the row still
   * has the status and attempt it was read with; when another writer came first, decides again on the new row.
   */
  private Transition change(String operation, ExecutionId id, Function<Execution, Transition> change) {
    return change(operation, id, change, DSL.noCondition(), "");
  }

  /**
   * @param also a further condition of the UPDATE; when it alone stops the change (the row is as it was read), the
   *     answer is a refusal saying {@code unless}
   */
  private Transition change(String operation, ExecutionId id, Function<Execution, Transition> change,
      Condition also, String unless) {
    return db.call(operation, dsl -> {
      for (int race = 0; race < MAX_RACES; race++) {
        Execution before = load(dsl, id).orElseThrow(() -> new IllegalArgumentException("no execution " + id));
        Transition transition = change.apply(before);
        if (!transition.applied()) {
          return transition;
        }
        Optional<ExecutionRecord> stored = compareAndSet(dsl, before, transition.execution(), also);
        if (stored.isPresent()) {
          return new Transition.Applied(rows.execution(stored.get()));
        }
        Execution now = load(dsl, id).orElseThrow(() -> new IllegalArgumentException("no execution " + id));
        if (now.status() == before.status() && now.attempt() == before.attempt()) {
          return new Transition.Refused(now, "execution " + id + " was left as it is: " + unless);
        }
      }
      throw new InfrastructureException(operation, "the execution kept changing under " + MAX_RACES + " attempts");
    });
  }

  /**
   * One statement: the conditional UPDATE of the execution and, when it stops holding its worker, the release of
   * the worker's slot, which only happens if the UPDATE did.
   *
   * @return the row as changed, empty when another writer changed it first
   */
  private static Optional<ExecutionRecord> compareAndSet(DSLContext dsl, Execution before, Execution after,
      Condition also) {
    ExecutionRecord result = new ExecutionRecord();
    Rows.setResult(result, after.result());
    Map<Field<?>, Object> changes = new LinkedHashMap<>();
    changes.put(EXECUTION.STATUS, after.status().wireName());
    changes.put(EXECUTION.WORKER, after.worker().map(WorkerId::value).orElse(null));
    changes.put(EXECUTION.ATTEMPT, after.attempt());
    for (Field<?> column : List.of(EXECUTION.RESULT, EXECUTION.EXIT_CODE, EXECUTION.STDOUT, EXECUTION.STDERR,
        EXECUTION.MESSAGE)) {
      changes.put(column, result.get(column));
    }
    changes.put(EXECUTION.STARTED_AT, after.startedAt().orElse(null));
    changes.put(EXECUTION.ENDED_AT, after.endedAt().orElse(null));
    changes.put(EXECUTION.STATUS_SINCE, after.since());
    changes.put(EXECUTION.UPDATED, currentInstant());
    CommonTableExpression<ExecutionRecord> x = name("x").as(dsl.update(EXECUTION)
        .set(changes)
        .where(EXECUTION.ID.eq(before.id().value()))
        .and(EXECUTION.ATTEMPT.eq(before.attempt()))
        .and(EXECUTION.STATUS.eq(before.status().wireName()))
        .and(also)
        .returning());
    boolean releases = before.status().holdsWorker() && !after.status().holdsWorker();
    if (!releases || before.worker().isEmpty()) {
      return dsl.with(x).selectFrom(x).fetchOptional().map(r -> r.into(EXECUTION));
    }
    // status and attempt unchanged since the read imply the worker is unchanged too
    CommonTableExpression<Record1<Long>> w = name("w").as(dsl.update(WORKER)
        .set(WORKER.RUNNING, greatest(WORKER.RUNNING.minus(1), inline(0)))
        .where(WORKER.ID.eq(before.worker().get().value()))
        .andExists(selectOne().from(x))
        .returningResult(WORKER.ID));
    return dsl.with(x, w).selectFrom(x).fetchOptional().map(r -> r.into(EXECUTION));
  }

  private Optional<Execution> load(DSLContext dsl, ExecutionId id) {
    return dsl.selectFrom(EXECUTION).where(EXECUTION.ID.eq(id.value())).fetchOptional().map(rows::execution);
  }
}
