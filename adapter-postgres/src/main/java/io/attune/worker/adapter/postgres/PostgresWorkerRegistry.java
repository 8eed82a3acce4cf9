package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.jooq.Tables.EXECUTION;
import static io.attune.worker.adapter.postgres.jooq.Tables.WORKER;
import static org.jooq.impl.DSL.currentInstant;
import static org.jooq.impl.DSL.excluded;

import io.attune.worker.adapter.postgres.jooq.tables.records.WorkerRecord;
import io.attune.worker.core.model.placement.Fleet;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.worker.NameHolder;
import io.attune.worker.core.model.worker.ProcessInstance;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerBeat;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.port.out.WorkerDirectory;
import io.attune.worker.core.port.out.WorkerRegistry;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertOnDuplicateSetMoreStep;
import org.jooq.JSONB;
import org.jooq.SelectConditionStep;
import org.jooq.impl.DSL;

/** The worker registry and directory on the {@code worker} table. */
final class PostgresWorkerRegistry implements WorkerRegistry, WorkerDirectory {

  private static final String ACTIVE = WorkerStatus.ACTIVE.wireName();
  private static final String INACTIVE = WorkerStatus.INACTIVE.wireName();

  /**
   * The expression of the GIN index {@code worker_runtimes_idx}, written the same way (with the key as a literal,
   * never a bind value) so that the planner can use the index.
   */
  private static final Field<JSONB> RUNTIMES = DSL.field("({0} -> 'runtimes')", JSONB.class, WORKER.CAPABILITIES);

  private final Database db;
  private final Rows rows;
  /**
   * The heartbeat, written as SQL once and run with plain JDBC: it is the one statement every worker sends all the
   * time, and rendering it anew for each call cost more client CPU than the round trip itself (see the benchmark).
   * A single-row UPDATE of unindexed columns, so PostgreSQL can make it a HOT update. The status after the beat comes
   * from a table of the core's own rule ({@link CoreRulesInSql#statusAfterBeat}). Recorded only for the process that
   * holds the name (or any, for a beat or an entry without an instance). Parameters: the instant, whether the worker
   * takes work, the worker id, the instance id or null.
   */
  static final String HEARTBEAT = """
      WITH beat AS (SELECT ?::timestamptz AS at, ?::boolean AS taking, ?::bigint AS id, ?::text AS instance)
      UPDATE worker SET last_heartbeat = beat.at, status = rule.after,
        updated = CASE WHEN rule.after <> worker.status THEN current_timestamp ELSE worker.updated END
      FROM beat JOIN (VALUES %s) AS rule(before, taking, after) ON rule.taking = beat.taking
      WHERE worker.id = beat.id AND rule.before = worker.status
        AND (beat.instance IS NULL OR worker.instance IS NULL OR worker.instance ->> 'id' = beat.instance)
      """.formatted(CoreRulesInSql.statusAfterBeat());

  PostgresWorkerRegistry(Database db, Rows rows) {
    this.db = db;
    this.rows = rows;
  }

  @Override
  public Worker register(WorkerRegistration registration, Instant now) {
    return db.call("register worker " + registration.name(), dsl -> rows.worker(upsert(dsl, registration, now)
        .returning()
        .fetchOne()));
  }

  /**
   * One statement: inserts the name, or takes over its entry only while the entry is this process's own or still the
   * one judged ({@code expected}: same holder instance, same last heartbeat).
   */
  @Override
  public Optional<Worker> claim(WorkerRegistration registration, Optional<NameHolder> expected, Instant now) {
    String mine = registration.instance().map(ProcessInstance::id).orElseThrow(() -> new IllegalArgumentException(
        "a claim of worker name " + registration.name() + " needs the claiming process's instance"));
    Field<String> holder = DSL.field("({0} ->> 'id')", String.class, WORKER.INSTANCE);
    Condition asJudged = expected.map(judged -> holder.isNotDistinctFrom(judged.instance()
            .map(ProcessInstance::id).orElse(null))
        .and(WORKER.LAST_HEARTBEAT.isNotDistinctFrom(judged.lastHeartbeat().orElse(null))))
        .orElse(DSL.falseCondition());
    return db.call("claim worker name " + registration.name(), dsl -> upsert(dsl, registration, now)
        .where(holder.eq(mine).or(asJudged))
        .returning()
        .fetchOptional()
        .map(rows::worker));
  }

  /** The insert, or on a taken name the update of its entry: keeps the id, cordon and reserved capacity. */
  private static InsertOnDuplicateSetMoreStep<WorkerRecord> upsert(DSLContext dsl, WorkerRegistration registration,
      Instant now) {
    int intervalSeconds = wholeSeconds(registration);
    Instant at = Rows.stored(now);
    JSONB instance = registration.instance().map(JsonCodec::instance).orElse(null);
    return dsl.insertInto(WORKER)
        .set(WORKER.NAME, registration.name())
        .set(WORKER.WORKER_TYPE, registration.type().wireName())
        .set(WORKER.STATUS, ACTIVE)
        .set(WORKER.HOST, registration.host())
        .set(WORKER.CAPABILITIES, JsonCodec.capabilities(registration.capabilities()))
        .set(WORKER.HEARTBEAT_INTERVAL_SECONDS, intervalSeconds)
        .set(WORKER.LAST_HEARTBEAT, at)
        .set(WORKER.INSTANCE, instance)
        .onConflict(WORKER.NAME).doUpdate()
        .set(WORKER.WORKER_TYPE, excluded(WORKER.WORKER_TYPE))
        .set(WORKER.STATUS, ACTIVE)
        .set(WORKER.HOST, excluded(WORKER.HOST))
        .set(WORKER.CAPABILITIES, excluded(WORKER.CAPABILITIES))
        .set(WORKER.HEARTBEAT_INTERVAL_SECONDS, excluded(WORKER.HEARTBEAT_INTERVAL_SECONDS))
        .set(WORKER.LAST_HEARTBEAT, excluded(WORKER.LAST_HEARTBEAT))
        .set(WORKER.INSTANCE, excluded(WORKER.INSTANCE))
        .set(WORKER.UPDATED, currentInstant());
  }

  @Override
  public Optional<NameHolder> holderOf(String name) {
    return db.call("find the holder of worker name " + name, dsl -> dsl.selectFrom(WORKER)
        .where(WORKER.NAME.eq(name))
        .fetchOptional()
        .map(record -> {
          Worker worker = rows.worker(record);
          return new NameHolder(worker.id(), worker.name(), Optional.ofNullable(record.getInstance())
              .map(JsonCodec::instance), worker.status(), worker.lastHeartbeatAt(), worker.heartbeatInterval());
        }));
  }

  @Override
  public WorkerBeat.Outcome heartbeat(WorkerBeat beat, Instant now) {
    int recorded = db.jdbc("heartbeat of worker " + beat.worker(), connection -> {
      try (PreparedStatement update = connection.prepareStatement(HEARTBEAT)) {
        update.setObject(1, OffsetDateTime.ofInstant(Rows.stored(now), ZoneOffset.UTC));
        update.setBoolean(2, beat.takingWork());
        update.setLong(3, beat.worker().value());
        update.setString(4, beat.instance().orElse(null));
        return update.executeUpdate();
      }
    });
    if (recorded == 1) {
      return WorkerBeat.Outcome.RECORDED;
    }
    return byId(beat.worker()).isPresent() ? WorkerBeat.Outcome.NAME_TAKEN : WorkerBeat.Outcome.UNKNOWN_WORKER;
  }

  @Override
  public boolean markInactive(WorkerId worker) {
    return db.call("mark worker " + worker + " inactive", dsl -> dsl.update(WORKER)
        .set(WORKER.STATUS, INACTIVE)
        .set(WORKER.UPDATED, currentInstant())
        .where(WORKER.ID.eq(worker.value()).and(WORKER.STATUS.ne(INACTIVE)))
        .execute()) == 1;
  }

  @Override
  public boolean markInactiveIfStale(WorkerId worker, Instant now) {
    return db.call("mark stale worker " + worker + " inactive", dsl -> dsl.update(WORKER)
        .set(WORKER.STATUS, INACTIVE)
        .set(WORKER.UPDATED, currentInstant())
        .where(WORKER.ID.eq(worker.value()).and(WORKER.STATUS.ne(INACTIVE)).and(stale(now)))
        .execute()) == 1;
  }

  @Override
  public List<String> prune(Instant now, Duration goneFor) {
    Instant cutoff = Rows.stored(now.minus(goneFor));
    return db.call("prune workers gone since " + cutoff, dsl -> dsl.deleteFrom(WORKER)
        .where(WORKER.RUNNING.eq(0))
        .and(CoreRulesInSql.lost(WORKER, now))
        .and(WORKER.LAST_HEARTBEAT.isNull().or(WORKER.LAST_HEARTBEAT.le(cutoff)))
        .andNotExists(DSL.selectOne().from(EXECUTION).where(EXECUTION.WORKER.eq(WORKER.ID))
            .and(CoreRulesInSql.holdsWorker(EXECUTION.STATUS)))
        .returningResult(WORKER.NAME)
        .fetch(WORKER.NAME))
        .stream().sorted().toList();
  }

  @Override
  public boolean markDraining(WorkerId worker) {
    return db.call("mark worker " + worker + " draining", dsl -> dsl.update(WORKER)
        .set(WORKER.STATUS, WorkerStatus.DRAINING.wireName())
        .set(WORKER.UPDATED, currentInstant())
        .where(WORKER.ID.eq(worker.value()).and(WORKER.STATUS.in(ACTIVE, WorkerStatus.ERROR.wireName())))
        .execute()) == 1;
  }

  @Override
  public Optional<Worker> setCordoned(String name, boolean cordoned) {
    return db.call((cordoned ? "cordon" : "uncordon") + " worker " + name, dsl -> dsl.update(WORKER)
        .set(WORKER.CORDONED, cordoned)
        .set(WORKER.UPDATED, currentInstant())
        .where(WORKER.NAME.eq(name))
        .returning()
        .fetchOptional()
        .map(rows::worker));
  }

  @Override
  public Optional<Worker> byId(WorkerId id) {
    return db.call("find worker " + id, dsl -> dsl.selectFrom(WORKER).where(WORKER.ID.eq(id.value()))
        .fetchOptional().map(rows::worker));
  }

  @Override
  public Optional<Worker> byName(String name) {
    return db.call("find worker " + name, dsl -> dsl.selectFrom(WORKER).where(WORKER.NAME.eq(name))
        .fetchOptional().map(rows::worker));
  }

  @Override
  public List<Worker> all() {
    return db.call("list workers", dsl -> dsl.selectFrom(WORKER).orderBy(WORKER.NAME).fetch(rows::worker));
  }

  /**
   * Every worker that offers the action's runtime, whatever its status, so that placement can still tell
   * "wait" (only busy or unhealthy workers could run it) from "unschedulable". One indexed query.
   */
  @Override
  public Fleet candidatesFor(ActionRequirements action) {
    return db.call("find workers for " + action.actionRef(),
        dsl -> Fleet.of(candidatesQuery(action).fetch(rows::worker)));
  }

  /** The query of {@link #candidatesFor}, for tests that check its plan. */
  SelectConditionStep<WorkerRecord> candidatesQuery(ActionRequirements action) {
    return db.dsl().selectFrom(WORKER).where(offers(action));
  }

  @Override
  public List<Worker> staleActive(Instant now) {
    return db.call("find stale workers", dsl -> dsl.selectFrom(WORKER)
        .where(WORKER.STATUS.ne(INACTIVE).and(stale(now)))
        .orderBy(WORKER.NAME)
        .fetch(rows::worker));
  }

  /** {@link CoreRulesInSql#stale} at {@code now}. */
  private static Condition stale(Instant now) {
    return CoreRulesInSql.stale(WORKER, now);
  }

  private static Condition offers(ActionRequirements action) {
    // a canonical runtime name is [a-z0-9._-]: nothing to escape
    JSONB runtime = JSONB.valueOf("[\"" + action.runtime().value() + "\"]");
    return DSL.condition("{0} @> {1}", RUNTIMES, DSL.val(runtime));
  }

  private static int wholeSeconds(WorkerRegistration registration) {
    Duration interval = registration.heartbeatInterval();
    if (interval.getNano() != 0 || interval.getSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("heartbeat interval " + interval + " of worker " + registration.name()
          + " cannot be stored: expected a whole number of seconds");
    }
    return (int) interval.getSeconds();
  }
}
