package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.jooq.Tables.WORKER;
import static org.jooq.impl.DSL.inline;

import io.attune.worker.adapter.postgres.jooq.tables.records.WorkerRecord;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerStatus;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
   * {@link io.attune.worker.core.model.placement.PlacementRules#takesNewWork}, the rules on the worker's state:
   * {@code IsActive}, {@code NotCordoned}, {@code HeartbeatFresh} ({@link #stale}) and {@code HasFreeCapacity}
   * ({@link Worker#hasFreeCapacity}), for the {@code slot}-th new execution it would take now (1 for one). Its GPUs
   * are {@link #hasFreeGpus}'s to check, in full, as the in-memory registry's reservation does.
   */
  static Condition takesNewWork(Table<WorkerRecord> worker, Field<? extends Number> slot, Field<Instant> now) {
    return worker.field(WORKER.STATUS).eq(inline(WorkerStatus.ACTIVE.wireName()))
        .and(worker.field(WORKER.CORDONED).eq(inline(false)))
        .and(DSL.not(stale(worker, now)))
        .and(worker.field(WORKER.RUNNING).plus(slot).le(maxConcurrentExecutions(worker)));
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

  /** {@link io.attune.worker.core.model.capability.Capabilities#maxConcurrentExecutions}, as its tree stores it. */
  static Field<Integer> maxConcurrentExecutions(Table<WorkerRecord> worker) {
    return DSL.field("(({0} ->> 'max_concurrent_executions')::int)", Integer.class,
        worker.field(WORKER.CAPABILITIES));
  }

  /**
   * {@link Worker#hasFreeGpus}: no GPU needed, or {@code count} more fit among the worker's GPUs with at least
   * {@code minMemoryMib} ({@link io.attune.worker.core.model.capability.Capabilities#gpusWithAtLeast}), counting
   * those in use.
   */
  static Condition hasFreeGpus(Table<WorkerRecord> worker, Field<Integer> count, Field<Integer> minMemoryMib) {
    Field<Integer> withEnoughMemory = DSL.field("(SELECT count(*)::int FROM jsonb_array_elements(coalesce({0} -> "
        + "'gpus', '[]'::jsonb)) AS g(gpu) WHERE (g.gpu ->> 'memory_mib')::int >= {1})", Integer.class,
        worker.field(WORKER.CAPABILITIES), minMemoryMib);
    return count.eq(inline(0)).or(worker.field(WORKER.GPUS_IN_USE).plus(count).le(withEnoughMemory));
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

  // the executions' rules

  /**
   * {@link io.attune.worker.core.model.placement.GpuRequirement#count} of stored requirements (their
   * {@code gpu.count}, as {@code RequirementsTree} writes it), 0 when they have no {@code gpu}.
   */
  static Field<Integer> gpuCount(Field<JSONB> requirements) {
    return DSL.field("coalesce(({0} -> 'gpu' ->> 'count')::int, 0)", Integer.class, requirements);
  }

  /** {@link io.attune.worker.core.model.placement.GpuRequirement#minMemoryMib} of stored requirements, 0 if none. */
  static Field<Integer> gpuMinMemoryMib(Field<JSONB> requirements) {
    return DSL.field("coalesce(({0} -> 'gpu' ->> 'min_memory_mib')::int, 0)", Integer.class, requirements);
  }

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
