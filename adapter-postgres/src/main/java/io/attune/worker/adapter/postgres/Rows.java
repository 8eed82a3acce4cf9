package io.attune.worker.adapter.postgres;

import io.attune.worker.adapter.postgres.jooq.tables.records.ExecutionRecord;
import io.attune.worker.adapter.postgres.jooq.tables.records.WorkerRecord;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.worker.Reservations;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.model.worker.WorkerType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jooq.JSONB;

/** Turns rows into domain values ("loaded from storage"), and instants into what a timestamptz keeps. */
final class Rows {

  /** Capability profiles by JSON text: few even in a large fleet. */
  private final ParsedShapes<Capabilities> capabilities = new ParsedShapes<>(512);
  /** Requirements by action and JSON text: every execution of an action stores the same text. */
  private final ParsedShapes<ActionRequirements> requirements = new ParsedShapes<>(4_096);

  /** PostgreSQL keeps microseconds; values handed out must equal what a later read returns. */
  static Instant stored(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
  }

  Worker worker(WorkerRecord row) {
    return readable("worker " + row.getName(), () -> new Worker(
        new WorkerId(row.getId()),
        row.getName(),
        parse(row.getWorkerType(), WorkerType::parse, "worker_type"),
        row.getHost(),
        parse(row.getStatus(), WorkerStatus::parse, "status"),
        row.getCordoned(),
        capabilities(row.getCapabilities()),
        Duration.ofSeconds(row.getHeartbeatIntervalSeconds()),
        row.getLastHeartbeat(),
        JsonCodec.reservations(row.getReserved(), "reserved").plus(Reservations.slots(row.getRunning()))));
  }

  /**
   * The execution columns of the result set's current row, by name, read with plain JDBC: jOOQ's general mapping of
   * a result set (fetch, then {@code into} the table's record) was about a fifth of the execution path's client CPU.
   */
  static ExecutionRecord executionRow(ResultSet rs) throws SQLException {
    ExecutionRecord row = new ExecutionRecord();
    row.setId(rs.getLong("id"));
    row.setActionRef(rs.getString("action_ref"));
    row.setRequirements(jsonb(rs.getString("requirements")));
    row.setParameters(jsonb(rs.getString("parameters")));
    row.setStatus(rs.getString("status"));
    row.setWorker(rs.getObject("worker", Long.class));
    row.setAttempt(rs.getInt("attempt"));
    row.setResult(jsonb(rs.getString("result")));
    row.setExitCode(rs.getObject("exit_code", Integer.class));
    row.setStdout(rs.getString("stdout"));
    row.setStderr(rs.getString("stderr"));
    row.setMessage(rs.getString("message"));
    row.setRequestedAt(instant(rs, "requested_at"));
    row.setStartedAt(instant(rs, "started_at"));
    row.setEndedAt(instant(rs, "ended_at"));
    row.setUpdated(instant(rs, "updated"));
    row.setStatusSince(instant(rs, "status_since"));
    row.setAttempts(jsonb(rs.getString("attempts")));
    row.setCancelRequestedAt(instant(rs, "cancel_requested_at"));
    return row;
  }

  private static JSONB jsonb(String text) {
    return text == null ? null : JSONB.valueOf(text);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  Execution execution(ExecutionRecord row) {
    return readable("execution " + row.getId(), () -> execution(row, ActionRef.parse(row.getActionRef())));
  }

  private Execution execution(ExecutionRecord row, ActionRef ref) {
    return new Execution(
        new ExecutionId(row.getId()),
        ref,
        requirements(ref, row.getRequirements()),
        JsonCodec.tree(row.getParameters(), "parameters"),
        parse(row.getStatus(), ExecutionStatus::parse, "status"),
        Optional.ofNullable(row.getWorker()).map(WorkerId::new),
        row.getAttempt(),
        result(row),
        row.getRequestedAt(),
        Optional.ofNullable(row.getStartedAt()),
        Optional.ofNullable(row.getEndedAt()),
        row.getStatusSince(),
        JsonCodec.attempts(row.getAttempts()),
        Optional.ofNullable(row.getCancelRequestedAt()));
  }

  /**
   * Writes the result columns; a result is present exactly when {@code message} is not null. Characters PostgreSQL
   * cannot store are replaced, and the message says how many ({@link StorableText}).
   */
  @SuppressWarnings("unchecked")
  static void setResult(ExecutionRecord row, Optional<ExecutionResult> result) {
    if (result.isEmpty()) {
      row.setResult(null);
      row.setExitCode(null);
      row.setStdout(null);
      row.setStderr(null);
      row.setMessage(null);
      return;
    }
    ExecutionResult r = result.get();
    StorableText storable = new StorableText();
    row.setResult(JsonCodec.tree((Map<String, Object>) storable.tree(r.result())));
    row.setExitCode(r.exitCode().orElse(null));
    row.setStdout(storable.text(r.stdout()));
    row.setStderr(storable.text(r.stderr()));
    String message = storable.text(r.message());
    row.setMessage(message + storable.note());
  }

  private static Optional<ExecutionResult> result(ExecutionRecord row) {
    if (row.getMessage() == null) {
      return Optional.empty();
    }
    return Optional.of(new ExecutionResult(Optional.ofNullable(row.getExitCode()), row.getStdout(), row.getStderr(),
        JsonCodec.tree(row.getResult(), "result"), row.getMessage()));
  }

  private Capabilities capabilities(JSONB column) {
    return capabilities.get(column.data(), text -> JsonCodec.capabilities(column));
  }

  private ActionRequirements requirements(ActionRef ref, JSONB column) {
    if (column == null) {
      return JsonCodec.requirements(ref, null); // names the column
    }
    // the reference is not in the text, so it is part of the key; a line break cannot occur in a reference
    return requirements.get(ref + "\n" + column.data(), key -> JsonCodec.requirements(ref, column));
  }


  private static <T> T parse(String text, Function<String, Optional<T>> parser, String column) {
    return parser.apply(text).orElseThrow(() -> new IllegalStateException(column + " '" + text + "' is not known"));
  }

  /** A row that breaks the domain's rules was written by hand or by a bug: say which one. */
  private static <T> T readable(String what, Supplier<T> mapping) {
    try {
      return mapping.get();
    } catch (IllegalStateException | IllegalArgumentException | NullPointerException unusable) {
      throw new InfrastructureException("read " + what, "the stored row is not usable: " + unusable.getMessage(),
          unusable);
    }
  }
}
