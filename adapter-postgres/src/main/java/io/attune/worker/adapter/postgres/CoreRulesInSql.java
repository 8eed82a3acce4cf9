package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.jooq.Tables.WORKER;
import static org.jooq.impl.DSL.inline;

import io.attune.worker.adapter.postgres.jooq.tables.records.WorkerRecord;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.rule.ResourceKind;
import io.attune.worker.core.model.placement.rule.ResourceKinds;
import io.attune.worker.core.model.worker.Reservations;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerLoad;
import io.attune.worker.core.model.worker.WorkerStatus;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jooq.CaseWhenStep;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.QueryPart;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The core's rules that SQL must state again, each written here once: a reservation is only safe where it is atomic,
 * so the statements that take a slot, start an attempt or give a slot back check the rule on the row version they
 * lock instead of trusting a decision made a moment earlier.
 *
 * <p>Each fragment names the core rule it mirrors. It is a jOOQ condition or field over the table (or alias) it is
 * given, so the statements built with jOOQ ({@link PostgresExecutionStore}'s parts, {@link PostgresWorkerRegistry})
 * use it as it is and the statements written as SQL ({@link ExecutionBatches}) use its text ({@link #sql}).
 * Statuses and numbers come from the core's enums and constants, never from literals typed here.
 */
final class CoreRulesInSql {

  /** Renders fragments for statements written as SQL; it needs no connection. */
  private static final DSLContext TEXT = DSL.using(SQLDialect.POSTGRES);

  private CoreRulesInSql() {
  }

  /** The fragment as SQL text with its values inlined, in parentheses, for a statement written as SQL. */
  static String sql(QueryPart fragment) {
    return "(" + TEXT.renderInlined(fragment) + ")";
  }

  // the workers' rules

  /**
   * {@link io.attune.worker.core.model.placement.rule.PlacementRules#takesNewWork(WorkerLoad, Instant)}, the rules on
   * the worker's state that read nothing of the action: {@code IsActive}, {@code NotCordoned} and
   * {@code HeartbeatFresh} ({@link #stale}). What the action asks of each resource kind is {@link #fits}'s.
   */
  static Condition takesNewWork(Table<WorkerRecord> worker, Field<Instant> now) {
    return worker.field(WORKER.STATUS).eq(inline(WorkerStatus.ACTIVE.wireName()))
        .and(worker.field(WORKER.CORDONED).eq(inline(false)))
        .and(DSL.not(stale(worker, now)));
  }

  /**
   * The negation of {@link Worker#isFresh}: the last heartbeat is missing, or at least
   * {@link Worker#STALE_AFTER_MISSED_HEARTBEATS} of the worker's own intervals old at {@code now}.
   */
  static Condition stale(Table<WorkerRecord> worker, Field<Instant> now) {
    Field<Instant> last = worker.field(WORKER.LAST_HEARTBEAT);
    return last.isNull().or(DSL.condition("{0} <= {1} - {2} * {3} * interval '1 second'", last, now,
        inline(Worker.STALE_AFTER_MISSED_HEARTBEATS), worker.field(WORKER.HEARTBEAT_INTERVAL_SECONDS)));
  }

  /** {@link #stale} at an instant of this process, as a timestamptz keeps it. */
  static Condition stale(Table<WorkerRecord> worker, Instant now) {
    return stale(worker, DSL.val(Rows.stored(now)));
  }

  /** {@link Worker#isLost}: inactive, or {@link #stale} at {@code now}. */
  static Condition lost(Table<WorkerRecord> worker, Field<Instant> now) {
    return worker.field(WORKER.STATUS).eq(inline(WorkerStatus.INACTIVE.wireName())).or(stale(worker, now));
  }

  /** {@link #lost} at an instant of this process, as a timestamptz keeps it. */
  static Condition lost(Table<WorkerRecord> worker, Instant now) {
    return lost(worker, DSL.val(Rows.stored(now)));
  }

  /**
   * {@link WorkerStatus#afterBeat}, written out for every status: the rows {@code (before, taking, after)} of a
   * {@code VALUES} list, so the heartbeat's SQL cannot say otherwise.
   */
  static String statusAfterBeat() {
    return Arrays.stream(WorkerStatus.values())
        .flatMap(before -> Stream.of(true, false).map(taking -> "('" + before.wireName() + "', " + taking + ", '"
            + before.afterBeat(taking).wireName() + "')"))
        .collect(Collectors.joining(", "));
  }

  // the resource kinds: SQL for what a worker offers of each, and the taking and giving back of what an execution
  // reserves, which knows no kind (see ResourceKinds and V12__reservations_by_resource_kind.sql)

  /** {@link ResourceKind#offered} in SQL: over the worker's row and the stored requirements of the execution. */
  @FunctionalInterface
  private interface Offered {
    Field<Integer> of(Table<WorkerRecord> worker, Field<JSONB> requirements);
  }

  /** Each kind's {@link ResourceKind#offered}, by the kind's name; {@link #offered} refuses a kind missing here. */
  private static final Map<String, Offered> OFFERED = Map.of(
      // Capabilities#maxConcurrentExecutions, as its tree stores it
      ResourceKinds.SLOTS.name(), (worker, requirements) -> DSL.field(
          "(({0} ->> 'max_concurrent_executions')::int)", Integer.class, worker.field(WORKER.CAPABILITIES)),
      // Capabilities#gpusWithAtLeast the requirements' gpu.min_memory_mib (0 without gpu), as RequirementsTree writes it
      ResourceKinds.GPUS.name(), (worker, requirements) -> DSL.field("(SELECT count(*)::int FROM "
          + "jsonb_array_elements(coalesce({0} -> 'gpus', '[]'::jsonb)) AS g(gpu) WHERE (g.gpu ->> 'memory_mib')::int "
          + ">= coalesce(({1} -> 'gpu' ->> 'min_memory_mib')::int, 0))", Integer.class,
          worker.field(WORKER.CAPABILITIES), requirements));

  /**
   * What {@code worker} offers of the kind of {@code counter} (the part of its name before ':') to an execution of
   * these requirements: each kind's {@link ResourceKind#offered} spelled in SQL, and null for a counter of a kind
   * this version does not know, which then limits nothing.
   */
  static Field<Integer> offered(Table<WorkerRecord> worker, Field<String> counter, Field<JSONB> requirements) {
    Field<String> kind = DSL.field("split_part({0}, ':', 1)", String.class, counter);
    CaseWhenStep<String, Integer> offered = null;
    for (ResourceKind each : ResourceKinds.STANDARD) {
      Offered spelled = OFFERED.get(each.name());
      if (spelled == null) {
        throw new IllegalStateException("no SQL for what a worker offers of the resource kind " + each.name());
      }
      Field<Integer> amount = spelled.of(worker, requirements);
      offered = offered == null ? DSL.choose(kind).when(inline(each.name()), amount)
          : offered.when(inline(each.name()), amount);
    }
    return offered;
  }

  /**
   * {@link Worker#reserved(String, String)} of a counter: the slots kind is kept in {@code running}, every other
   * counter in {@code reserved}.
   */
  static Field<Integer> reserved(Table<WorkerRecord> worker, Field<String> counter) {
    return DSL.field("CASE WHEN {0} = {1} THEN {2} ELSE coalesce(({3} ->> {0})::int, 0) END", Integer.class, counter,
        inline(Reservations.SLOTS), worker.field(WORKER.RUNNING), worker.field(WORKER.RESERVED));
  }

  /**
   * {@link ResourceKind#fits} for one counter: {@code amount} more of it has room on the worker for an execution of
   * these requirements.
   */
  static Condition hasRoom(Table<WorkerRecord> worker, Field<String> counter, Field<Integer> amount,
      Field<JSONB> requirements) {
    Field<Integer> offered = offered(worker, counter, requirements);
    return offered.isNull().or(reserved(worker, counter).plus(amount).le(offered));
  }

  /**
   * {@link ResourceKinds#fit}: every counter an execution reserves ({@code reserves}, as
   * {@code execution.reserves} keeps it) has room on the worker.
   */
  static Condition fits(Table<WorkerRecord> worker, Field<JSONB> reserves, Field<JSONB> requirements) {
    Field<String> counter = DSL.field(DSL.name("r", "counter"), String.class);
    Field<Integer> amount = DSL.field("{0}::int", Integer.class, DSL.field(DSL.name("r", "amount")));
    // a scalar subquery, not NOT EXISTS: PostgreSQL turns NOT EXISTS into an anti-join, which an UPDATE that waited
    // for the row's lock does not evaluate again on the row's new version (EvalPlanQual); a scalar subquery it does
    return DSL.condition("coalesce({0}, true)", DSL.field(DSL.select(DSL.boolAnd(hasRoom(worker, counter, amount,
        requirements))).from(DSL.table("jsonb_each_text({0})", reserves).as("r", "counter", "amount"))));
  }

  /** The worker's columns after it takes {@code amounts} (counters to counts, as {@code execution.reserves}). */
  static Map<Field<?>, Field<?>> taking(Table<WorkerRecord> worker, Field<JSONB> amounts) {
    return counted(worker, amounts, 1);
  }

  /** The worker's columns after it gives {@code amounts} back; no count goes below zero. */
  static Map<Field<?>, Field<?>> givingBack(Table<WorkerRecord> worker, Field<JSONB> amounts) {
    return counted(worker, amounts, -1);
  }

  /** {@link #taking} or {@link #givingBack} as the SET list of an UPDATE of {@code worker} written as SQL. */
  static String assignments(Map<Field<?>, Field<?>> columns) {
    return columns.entrySet().stream().map(c -> c.getKey().getName() + " = " + sql(c.getValue()))
        .collect(Collectors.joining(", "));
  }

  /** {@link Reservations#plus} ({@code sign} 1) or {@link Reservations#minus} (-1), on the two columns. */
  private static Map<Field<?>, Field<?>> counted(Table<WorkerRecord> worker, Field<JSONB> amounts, int sign) {
    Field<Integer> running = worker.field(WORKER.RUNNING);
    Field<Integer> slots = DSL.field("coalesce(({0} ->> {1})::int, 0)", Integer.class, amounts,
        inline(Reservations.SLOTS));
    Field<JSONB> reserved = DSL.field("(SELECT coalesce(jsonb_object_agg(c.counter, c.amount), jsonb_build_object()) "
        + "FROM (SELECT a.counter, sum(a.amount)::int AS amount FROM (SELECT key, value::int FROM jsonb_each_text({0}) "
        + "UNION ALL SELECT key, {2} * value::int FROM jsonb_each_text({1} - {3})) AS a(counter, amount) "
        + "GROUP BY a.counter) AS c WHERE c.amount > 0)", JSONB.class, worker.field(WORKER.RESERVED), amounts,
        inline(sign), inline(Reservations.SLOTS));
    Map<Field<?>, Field<?>> columns = new LinkedHashMap<>();
    columns.put(WORKER.RUNNING, sign > 0 ? running.plus(slots) : DSL.greatest(running.minus(slots), inline(0)));
    columns.put(WORKER.RESERVED, reserved);
    return columns;
  }

  // the executions' rules

  /** {@link ExecutionStatus#holdsWorker}: the statuses in which an execution holds a slot of its worker. */
  static Condition holdsWorker(Field<String> status) {
    return status.in(inlined(Arrays.stream(ExecutionStatus.values()).filter(ExecutionStatus::holdsWorker)));
  }

  /** The statuses {@link io.attune.worker.core.model.execution.Execution#schedule} places from. */
  static Condition schedulable(Field<String> status) {
    return status.in(movingTo(ExecutionStatus.SCHEDULED));
  }

  /** The statuses {@link io.attune.worker.core.model.execution.Execution#start} starts an attempt from. */
  static Condition startable(Field<String> status) {
    return status.in(movingTo(ExecutionStatus.RUNNING));
  }

  /**
   * The attempts with the one {@link io.attune.worker.core.model.execution.Execution#schedule} adds after
   * {@code attempt}, in the shape of {@link io.attune.worker.core.model.execution.AttemptTree#toTree}: number
   * {@code attempt + 1}, the worker, scheduled at {@code scheduledAt} (ISO-8601 text), nothing else yet.
   */
  static Field<JSONB> withScheduledAttempt(Field<JSONB> attempts, Field<Integer> attempt, Field<Long> worker,
      Field<String> scheduledAt) {
    return DSL.field("{0} || jsonb_build_array(jsonb_build_object('attempt', {1} + 1, 'worker_id', cast({2} as "
        + "bigint), 'scheduled_at', cast({3} as text), 'started_at', null, 'ended_at', null, 'outcome', null, "
        + "'reason', ''))", attempts.getDataType(), attempts, attempt, worker, scheduledAt);
  }

  /**
   * The attempts with the current one started at {@code startedAt} (ISO-8601 text), when it is the list's last, as
   * {@link io.attune.worker.core.model.execution.Execution#start} records it
   * ({@link io.attune.worker.core.model.execution.AttemptTree#toTree}'s {@code started_at}).
   */
  static Field<JSONB> withAttemptStarted(Field<JSONB> attempts, Field<Integer> attempt, Field<String> startedAt) {
    return DSL.field("CASE WHEN ({0} -> -1 ->> 'attempt') = cast({1} as text) "
        + "THEN jsonb_set({0}, ARRAY['-1', 'started_at'], to_jsonb(cast({2} as text))) ELSE {0} END",
        attempts.getDataType(), attempts, attempt, startedAt);
  }

  private static Field<?>[] movingTo(ExecutionStatus next) {
    return inlined(Arrays.stream(ExecutionStatus.values()).filter(s -> s.canMoveTo(next)));
  }

  private static Field<?>[] inlined(Stream<ExecutionStatus> statuses) {
    return statuses.map(s -> inline(s.wireName())).toArray(Field<?>[]::new);
  }
}
