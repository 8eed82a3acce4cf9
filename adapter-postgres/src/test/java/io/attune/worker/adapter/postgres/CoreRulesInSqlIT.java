package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.Fixtures.NOW;
import static io.attune.worker.adapter.postgres.jooq.Tables.WORKER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.val;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.Gpu;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.GpuRequirement;
import io.attune.worker.core.model.placement.rule.PlacementRules;
import io.attune.worker.core.model.placement.rule.ResourceKinds;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Reservations;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.out.WorkerRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record2;
import org.jooq.Record3;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.SelectField;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pins each rule of {@link CoreRulesInSql} to the core rule it re-states: for workers in every combination of
 * status, cordon, heartbeat age and what is reserved of each kind (slots, GPUs, a kind this version does not know),
 * the fragment judged by PostgreSQL agrees with the core's
 * verdict on the same worker as read back. The grouped statements use the same fragments as text, so this pins
 * them too.
 */
class CoreRulesInSqlIT {

  @RegisterExtension
  static final MigratedDatabase db = new MigratedDatabase("rules");
  private static final ActionRequirements NO_GPU = ActionRequirements.of("demo.plain", RuntimeName.SHELL);
  /** No GPU, and GPUs in every count and memory against the worker's two of different sizes. */
  private static final List<ActionRequirements> ACTIONS = List.of(NO_GPU, NO_GPU.withGpu(new GpuRequirement(1, 0)),
      NO_GPU.withGpu(new GpuRequirement(1, 40_000)), NO_GPU.withGpu(new GpuRequirement(2, 0)),
      NO_GPU.withGpu(new GpuRequirement(1, 100_000)));
  private static final Duration INTERVAL = Duration.ofSeconds(30);
  /** Missing, fresh, one second short of stale, exactly stale, long gone. */
  private static final List<Duration> AGES = Arrays.asList(null, Duration.ofSeconds(1),
      INTERVAL.multipliedBy(Worker.STALE_AFTER_MISSED_HEARTBEATS).minusSeconds(1),
      INTERVAL.multipliedBy(Worker.STALE_AFTER_MISSED_HEARTBEATS), Duration.ofHours(1));
  private static List<Worker> workers;

  @BeforeAll
  static void fleet() throws Exception {
    db.truncate();
    WorkerRegistry registry = db.adapter().registry();
    Capabilities capabilities = Capabilities.builder().maxConcurrentExecutions(2).runtime(RuntimeName.SHELL)
        .gpu(new Gpu("NVIDIA A100-SXM4-80GB", 81_920)).gpu(new Gpu("NVIDIA T4", 16_384)).build();
    int n = 0;
    try (Connection jdbc = db.jdbc(); PreparedStatement state = jdbc.prepareStatement("UPDATE worker SET status = ?, "
        + "cordoned = ?, last_heartbeat = ?, running = ?, reserved = ?::jsonb WHERE id = ?")) {
      for (WorkerStatus status : WorkerStatus.values()) {
        for (boolean cordoned : new boolean[] {false, true}) {
          for (Duration age : AGES) {
            for (int load = 0; load <= 2; load++) {
              Worker registered = registry.register(new WorkerRegistration("w" + n++, WorkerType.LOCAL, "host",
                  capabilities, INTERVAL), NOW);
              state.setString(1, status.wireName());
              state.setBoolean(2, cordoned);
              state.setObject(3, age == null ? null : OffsetDateTime.ofInstant(NOW.minus(age), ZoneOffset.UTC));
              state.setInt(4, load);
              // the GPUs, and a counter of a kind per key that this version does not know, which limits nothing
              state.setString(5, "{\"gpus\": " + load + ", \"per_pack:demo\": " + load + "}");
              state.setLong(6, registered.id().value());
              state.executeUpdate();
            }
          }
        }
      }
    }
    workers = db.adapter().directory().all();
    assertThat(workers).hasSize(n);
  }

  @Test
  void takes_new_work_agrees_with_the_core_rules_on_the_state_of_a_worker() throws Exception {
    Map<Long, Record> verdicts = judged(CoreRulesInSql.takesNewWork(WORKER, val(NOW)));
    for (Worker worker : workers) {
      assertThat(verdicts.get(worker.id().value()).get(1, Boolean.class)).as("%s", worker)
          .isEqualTo(PlacementRules.takesNewWork(worker, NOW));
    }
  }

  @Test
  void fits_agrees_with_the_resource_kinds_for_one_and_for_two_executions_of_each_action() throws Exception {
    for (ActionRequirements action : ACTIONS) {
      Reservations one = ResourceKinds.demand(action);
      Reservations two = one.plus(one);
      JSONB requirements = JsonCodec.requirements(action);
      Map<Long, Record> verdicts = judged(
          CoreRulesInSql.fits(WORKER, val(JsonCodec.reservations(one)), val(requirements)),
          CoreRulesInSql.fits(WORKER, val(JsonCodec.reservations(two)), val(requirements)));
      for (Worker worker : workers) {
        Record sql = verdicts.get(worker.id().value());
        assertThat(sql.get(1, Boolean.class)).as("one %s on %s", action.gpu(), worker)
            .isEqualTo(ResourceKinds.fit(action, worker));
        assertThat(sql.get(2, Boolean.class)).as("a second %s on %s", action.gpu(), worker)
            .isEqualTo(ResourceKinds.fit(action, worker.withReserved(worker.reserved().plus(one))));
      }
    }
  }

  @Test
  void taking_and_giving_back_count_as_the_core_adds_and_subtracts_reservations() throws Exception {
    Reservations amounts = Reservations.of(Map.of("slots", 1, "gpus", 2, "per_pack:demo", 1, "per_pack:ml", 1));
    try (Connection jdbc = db.jdbc()) {
      DSLContext dsl = DSL.using(jdbc, SQLDialect.POSTGRES);
      for (boolean taking : new boolean[] {true, false}) {
        Map<Field<?>, Field<?>> columns = taking ? CoreRulesInSql.taking(WORKER, val(JsonCodec.reservations(amounts)))
            : CoreRulesInSql.givingBack(WORKER, val(JsonCodec.reservations(amounts)));
        List<SelectField<?>> fields = new ArrayList<>(List.of(WORKER.ID));
        fields.add(columns.get(WORKER.RUNNING).as("running"));
        fields.add(columns.get(WORKER.RESERVED).as("reserved"));
        for (Record row : dsl.select(fields).from(WORKER).fetch()) {
          Worker worker = workers.stream().filter(w -> w.id().value() == row.get(WORKER.ID)).findFirst().orElseThrow();
          Reservations sql = JsonCodec.reservations(row.get("reserved", JSONB.class), "reserved")
              .plus(Reservations.slots(row.get("running", Integer.class)));
          assertThat(sql).as("%s %s on %s", taking ? "taking" : "giving back", amounts, worker)
              .isEqualTo(taking ? worker.reserved().plus(amounts) : worker.reserved().minus(amounts));
        }
      }
    }
  }

  @Test
  void stale_and_lost_agree_with_the_worker() throws Exception {
    Map<Long, Record> verdicts = judged(CoreRulesInSql.stale(WORKER, NOW), CoreRulesInSql.lost(WORKER, NOW));
    for (Worker worker : workers) {
      Record sql = verdicts.get(worker.id().value());
      assertThat(sql.get(1, Boolean.class)).as("stale %s", worker).isEqualTo(!worker.isFresh(NOW));
      assertThat(sql.get(2, Boolean.class)).as("lost %s", worker).isEqualTo(worker.isLost(NOW));
    }
  }

  @Test
  void the_status_fragments_hold_the_statuses_of_the_core_rules() throws Exception {
    try (Connection jdbc = db.jdbc()) {
      DSLContext dsl = DSL.using(jdbc, SQLDialect.POSTGRES);
      for (ExecutionStatus status : ExecutionStatus.values()) {
        Field<String> stored = inline(status.wireName());
        Record3<Boolean, Boolean, Boolean> sql = dsl.select(DSL.field(CoreRulesInSql.holdsWorker(stored)),
            DSL.field(CoreRulesInSql.schedulable(stored)), DSL.field(CoreRulesInSql.startable(stored))).fetchOne();
        assertThat(sql.value1()).as("%s holds its worker", status).isEqualTo(status.holdsWorker());
        assertThat(sql.value2()).as("%s is placed from", status)
            .isEqualTo(status.canMoveTo(ExecutionStatus.SCHEDULED));
        assertThat(sql.value3()).as("%s is started from", status).isEqualTo(status.canMoveTo(ExecutionStatus.RUNNING));
      }
    }
  }

  @Test
  void the_attempt_fragments_write_what_the_core_does() throws Exception {
    WorkerId worker = new WorkerId(7);
    Instant startedAt = NOW.plusSeconds(5);
    Execution scheduled = Execution.requested(new ExecutionId(1), new ExecutionRequest(NO_GPU, Map.of()), NOW)
        .schedule(worker, NOW).execution();
    Execution started = scheduled.start(1, worker, startedAt).execution();
    try (Connection jdbc = db.jdbc()) {
      DSLContext dsl = DSL.using(jdbc, SQLDialect.POSTGRES);
      Record2<JSONB, JSONB> sql = dsl.select(
          CoreRulesInSql.withScheduledAttempt(val(JsonCodec.attempts(List.of())), inline(0),
              inline(worker.value()), inline(NOW.toString())),
          CoreRulesInSql.withAttemptStarted(val(JsonCodec.attempts(scheduled.attempts())), inline(1),
              inline(startedAt.toString()))).fetchOne();
      assertThat(JsonCodec.attempts(sql.value1())).isEqualTo(scheduled.attempts());
      assertThat(JsonCodec.attempts(sql.value2())).isEqualTo(started.attempts());
    }
  }

  /** Each worker's id and the verdicts of the conditions on its row, by id. */
  private static Map<Long, Record> judged(Condition... rules) throws Exception {
    try (Connection jdbc = db.jdbc()) {
      DSLContext dsl = DSL.using(jdbc, SQLDialect.POSTGRES);
      List<SelectField<?>> columns = new ArrayList<>();
      columns.add(WORKER.ID);
      for (Condition rule : rules) {
        columns.add(DSL.field(rule));
      }
      return dsl.select(columns).from(WORKER).fetch().stream()
          .collect(Collectors.toMap(r -> r.get(WORKER.ID), Function.identity()));
    }
  }
}
