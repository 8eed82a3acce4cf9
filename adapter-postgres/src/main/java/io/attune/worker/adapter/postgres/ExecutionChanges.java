package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.jooq.Tables.EXECUTION;
import static io.attune.worker.adapter.postgres.jooq.Tables.WORKER;
import static org.jooq.impl.DSL.currentInstant;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;

import io.attune.worker.adapter.postgres.jooq.tables.records.ExecutionRecord;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.worker.WorkerId;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jooq.CommonTableExpression;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Record1;
import org.jooq.impl.DSL;

/**
 * Every change of an execution decided by its own rules on a row as read, written as a compare-and-set on
 * (id, attempt, status, cancel request) that gives back what it reserved of the worker in the same statement when
 * the execution stops holding it.
 */
final class ExecutionChanges {

  /** After this many lost races on one execution something is wrong (a writer in a loop): give up loudly. */
  private static final int MAX_RACES = 16;

  /** The columns a change writes, each from the named parameter of the same name. */
  private static final List<Field<?>> WRITTEN = List.of(EXECUTION.STATUS, EXECUTION.WORKER, EXECUTION.ATTEMPT,
      EXECUTION.RESULT, EXECUTION.EXIT_CODE, EXECUTION.STDOUT, EXECUTION.STDERR, EXECUTION.MESSAGE,
      EXECUTION.STARTED_AT, EXECUTION.ENDED_AT, EXECUTION.STATUS_SINCE, EXECUTION.ATTEMPTS,
      EXECUTION.CANCEL_REQUESTED_AT);

  /** A further condition of the UPDATE. */
  enum Guard { NONE, HOLDER_LOST }

  private final ExecutionStatements statements;
  private final ExecutionRecords records;
  /** The compare-and-set of a change, by whether it frees a slot and whether the holder must still be lost. */
  private final Map<Shape, RenderedSql> casSql = new EnumMap<>(Shape.class);

  ExecutionChanges(ExecutionStatements statements, ExecutionRecords records) {
    this.statements = statements;
    this.records = records;
    DSLContext dsl = statements.db().dsl();
    for (Shape shape : Shape.values()) {
      casSql.put(shape, RenderedSql.of(dsl, compareAndSetStatement(dsl, shape)));
    }
  }

  /**
   * Decides the change with the execution's own rules on the row as read, then writes it only if the row still has
   * the status and attempt it was decided on; when another writer came first, decides again on the new row.
   */
  Transition change(String operation, ExecutionId id, Function<Execution, Transition> change) {
    return change(operation, id, change, Guard.NONE, Instant.EPOCH, "");
  }

  /**
   * @param guard a further condition of the UPDATE, judged at {@code at}; when it alone stops the change (the row is
   *     as it was read), the answer is a refusal saying {@code unless}
   */
  Transition change(String operation, ExecutionId id, Function<Execution, Transition> change, Guard guard,
      Instant at, String unless) {
    Execution before = records.existing(id);
    for (int race = 0; race < MAX_RACES; race++) {
      Transition transition = change.apply(before);
      if (!transition.applied()) {
        return transition;
      }
      Optional<Execution> stored = compareAndSet(operation, before, transition.execution(), guard, at);
      if (stored.isPresent()) {
        return new Transition.Applied(stored.get());
      }
      Execution now = records.existing(id);
      if (now.status() == before.status() && now.attempt() == before.attempt()
          && now.cancelRequestedAt().equals(before.cancelRequestedAt())) {
        return new Transition.Refused(now, "execution " + id + " was left as it is: " + unless);
      }
      before = now;
    }
    throw new InfrastructureException(operation, "the execution kept changing under " + MAX_RACES + " attempts");
  }

  /** A change decided on a copy, written alone; empty when the row moved on since the copy. */
  Optional<Execution> alone(ExecutionBatches.Change change) {
    return compareAndSet("finish execution " + change.before().id(), change.before(), change.after(), Guard.NONE,
        Instant.EPOCH);
  }

  /** Changes decided on copies, written in one statement; each answered as {@link #alone} would have. */
  List<Optional<Execution>> together(List<ExecutionBatches.Change> changes) {
    Map<Long, ExecutionRow> written = statements.batches().change(changes);
    return changes.stream().map(c -> Optional.ofNullable(written.get(c.before().id().value()))
        .map(statements::execution)).toList();
  }

  /** The shapes of the compare-and-set statement: each rendered once. */
  private enum Shape {
    KEEP(false, Guard.NONE), RELEASE(true, Guard.NONE), KEEP_IF_LOST(false, Guard.HOLDER_LOST),
    RELEASE_IF_LOST(true, Guard.HOLDER_LOST);

    final boolean releases;
    final Guard guard;

    Shape(boolean releases, Guard guard) {
      this.releases = releases;
      this.guard = guard;
    }

    static Shape of(boolean releases, Guard guard) {
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
  private Optional<Execution> compareAndSet(String operation, Execution before, Execution after, Guard guard,
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
    if (guard == Guard.HOLDER_LOST) {
      values.put("lost_at", at);
    }
    released.ifPresent(worker -> values.put("released_worker", worker.value()));
    return statements.one(operation, casSql.get(Shape.of(released.isPresent(), guard)), values)
        .map(statements::execution);
  }

  private static Query compareAndSetStatement(DSLContext dsl, Shape shape) {
    Condition also = shape.guard == Guard.NONE ? DSL.noCondition()
        // the holder is still lost when the UPDATE runs: gone, or lost by the rule of heldByLostWorkers
        : EXECUTION.WORKER.isNull().or(DSL.notExists(selectOne().from(WORKER)
            .where(WORKER.ID.eq(EXECUTION.WORKER))
            .and(DSL.not(CoreRulesInSql.lost(WORKER, param("lost_at", WORKER.LAST_HEARTBEAT))))));
    Map<Field<?>, Field<?>> written = new LinkedHashMap<>();
    WRITTEN.forEach(column -> written.put(column, param(column.getName(), column)));
    written.put(EXECUTION.UPDATED, currentInstant());
    CommonTableExpression<ExecutionRecord> x = name("x").as(dsl.update(EXECUTION)
        .set(written)
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
        // and all else it reserved, which it recorded when it was created (unchanged by the UPDATE)
        .set(CoreRulesInSql.givingBack(WORKER, DSL.field(select(x.field(EXECUTION.RESERVES)).from(x))))
        .where(WORKER.ID.eq(param("released_worker", WORKER.ID)))
        .andExists(selectOne().from(x))
        .returningResult(WORKER.ID));
    return dsl.with(x, w).selectFrom(x);
  }
}
