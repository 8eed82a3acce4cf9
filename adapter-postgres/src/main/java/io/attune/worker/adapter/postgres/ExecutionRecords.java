package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.jooq.Tables.EXECUTION;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.param;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.rule.ResourceKinds;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Query;

/** An execution's row as a whole: created, and read by id (one, or several at once for concurrent calls). */
final class ExecutionRecords {

  private final ExecutionStatements statements;
  private final RenderedSql createSql;
  private final RenderedSql findSql;

  ExecutionRecords(ExecutionStatements statements) {
    this.statements = statements;
    DSLContext dsl = statements.db().dsl();
    this.createSql = RenderedSql.of(dsl, createStatement(dsl));
    this.findSql = RenderedSql.of(dsl, dsl.selectFrom(EXECUTION).where(EXECUTION.ID.eq(param("id", EXECUTION.ID))));
  }

  Execution create(ExecutionRequest request, Instant now) {
    Instant at = Rows.stored(now);
    String ref = request.requirements().actionRef().toString();
    Map<String, Object> values = Map.of("action_ref", ref,
        "requirements", JsonCodec.requirements(request.requirements()),
        "parameters", JsonCodec.tree(request.parameters()), "requested_at", at, "status_since", at,
        "reserves", JsonCodec.reservations(ResourceKinds.demand(request.requirements())));
    // the execution as stored, so that it equals what a later read returns (JSON numbers, microseconds)
    return statements.one("create execution of " + ref, createSql, values)
        .map(statements::execution)
        .orElseThrow(() -> new IllegalStateException("INSERT ... RETURNING returned no row"));
  }

  private static Query createStatement(DSLContext dsl) {
    return dsl.insertInto(EXECUTION)
        .set(EXECUTION.ACTION_REF, param("action_ref", EXECUTION.ACTION_REF))
        .set(EXECUTION.REQUIREMENTS, param("requirements", EXECUTION.REQUIREMENTS))
        .set(EXECUTION.PARAMETERS, param("parameters", EXECUTION.PARAMETERS))
        .set(EXECUTION.RESERVES, param("reserves", EXECUTION.RESERVES))
        .set(EXECUTION.STATUS, inline(ExecutionStatus.REQUESTED.wireName()))
        .set(EXECUTION.ATTEMPT, inline(0))
        .set(EXECUTION.REQUESTED_AT, param("requested_at", EXECUTION.REQUESTED_AT))
        .set(EXECUTION.STATUS_SINCE, param("status_since", EXECUTION.STATUS_SINCE))
        .returning();
  }

  /** The execution with this id, read alone. */
  Optional<Execution> find(ExecutionId id) {
    return statements.one("find execution " + id, findSql, Map.of("id", id.value())).map(statements::execution);
  }

  /** Executions read together, answered in the order of the ids; an id with no execution is empty. */
  List<Optional<Execution>> findTogether(List<ExecutionId> ids) {
    Map<Long, ExecutionRow> found = statements.batches().find(ids);
    return ids.stream().map(id -> Optional.ofNullable(found.get(id.value())).map(statements::execution)).toList();
  }

  /**
   * The execution with this id.
   *
   * @throws IllegalArgumentException when there is none
   */
  Execution existing(ExecutionId id) {
    return find(id).orElseThrow(() -> new IllegalArgumentException("no execution " + id));
  }
}
