package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.Fixtures.NOW;
import static io.attune.worker.adapter.postgres.Fixtures.request;
import static io.attune.worker.adapter.postgres.Fixtures.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.Affinity;
import io.attune.worker.core.model.placement.requirement.AffinityTerm;
import io.attune.worker.core.model.placement.requirement.MatchExpression;
import io.attune.worker.core.model.placement.requirement.MatchOperator;
import io.attune.worker.core.model.placement.requirement.Toleration;
import io.attune.worker.core.model.placement.requirement.TolerationOperator;
import io.attune.worker.core.model.placement.requirement.WeightedTerm;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.VersionConstraint;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.out.ExecutionStore.Assignment;
import io.attune.worker.core.port.out.ExecutionStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresExecutionStoreIT {

  @RegisterExtension
  static final MigratedDatabase db = new MigratedDatabase("executions");
  private ExecutionStore store;

  @BeforeEach
  void empty() {
    db.truncate();
    store = db.adapter().executions();
  }

  @Test
  void an_outcome_with_nul_characters_is_stored_with_them_replaced_and_says_so() {
    // issue 10, scenario 2: printf 'a\0b', find -print0, binary output; PostgreSQL refuses NUL in text and jsonb
    Worker w = db.adapter().registry().register(worker("w", 1, "shell"), NOW);
    Execution placed = ((Assignment.Assigned) store.assign(store.create(request("demo.nul", "shell"), NOW).id(),
        w.id(), NOW)).execution();
    store.start(placed.id(), placed.attempt(), w.id(), NOW);
    ExecutionResult withNuls = new ExecutionResult(Optional.of(0), "a\0b\0c", "err\0", Map.of("k\0", "v\0",
        "list", List.of("x\0")), "exit code 0");

    Transition stored = store.finish(placed.id(), placed.attempt(), ExecutionStatus.SUCCEEDED, withNuls, NOW);

    assertThat(stored.applied()).isTrue();
    ExecutionResult kept = store.find(placed.id()).orElseThrow().result().orElseThrow();
    assertThat(kept.stdout()).isEqualTo("a\uFFFDb\uFFFDc");
    assertThat(kept.stderr()).isEqualTo("err\uFFFD");
    assertThat(kept.result()).isEqualTo(Map.of("k\uFFFD", "v\uFFFD", "list", List.of("x\uFFFD")));
    assertThat(kept.message()).isEqualTo("exit code 0 [6 NUL characters replaced by U+FFFD: PostgreSQL cannot "
        + "store them]");
    assertThat(store.find(placed.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  @Test
  void the_database_clock_tells_the_time_of_postgresql() throws Exception {
    DatabaseClock clock = db.adapter().clock();

    Instant before = clock.instant();
    Instant there = java.time.OffsetDateTime.parse(single("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', "
        + "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")).toInstant();
    Instant after = clock.instant();

    assertThat(there).isBetween(before.minusMillis(50), after.plusMillis(50));
  }

  @Test
  void a_created_execution_reads_back_equal_with_every_requirement_and_parameter() {
    ActionRequirements requirements = new ActionRequirements(ActionRef.parse("pack.train"), RuntimeName.PYTHON,
        VersionConstraint.parse(">=3.8, <4"), Map.of(RuntimeName.NODE, VersionConstraint.parse("^18")),
        Map.of("gpu", "nvidia"),
        List.of(new Toleration("gpu", TolerationOperator.EQUAL, "true", Optional.of(TaintEffect.NO_SCHEDULE)),
            new Toleration("", TolerationOperator.EXISTS, "", Optional.empty())),
        new Affinity(List.of(AffinityTerm.labels(Map.of("zone", "east"))),
            List.of(new WeightedTerm(30, new AffinityTerm(Map.of(),
                List.of(new MatchExpression("disk", MatchOperator.NOT_IN, List.of("hdd")))))),
            List.of(new AffinityTerm(Map.of(), List.of(new MatchExpression("flaky", MatchOperator.DOES_NOT_EXIST,
                List.of()))))));
    Execution created = store.create(new ExecutionRequest(requirements,
        Map.of("name", "Ada", "n", 3, "tags", List.of("a"))), NOW);

    assertThat(store.find(created.id())).contains(created);
  }

  @Test
  void requirements_are_stored_in_the_architecture_shapes() throws Exception {
    ActionRequirements requirements = new ActionRequirements(ActionRef.parse("pack.a"), RuntimeName.PYTHON,
        VersionConstraint.parse(">=3.8"), Map.of(), Map.of("zone", "east"),
        List.of(new Toleration("gpu", TolerationOperator.EXISTS, "", Optional.of(TaintEffect.NO_SCHEDULE))),
        new Affinity(List.of(), List.of(new WeightedTerm(50, AffinityTerm.labels(Map.of("tier", "gold")))),
            List.of()));
    store.create(new ExecutionRequest(requirements, Map.of()), NOW);

    String json = single("SELECT requirements::text FROM execution");

    assertThat(json).contains("\"runtime\": \"python\"", "\"runtime_version\": \">=3.8\"",
        "\"selector\": {\"zone\": \"east\"}",
        "\"tolerations\": [{\"key\": \"gpu\", \"value\": \"\", \"effect\": \"no_schedule\", \"operator\": \"exists\"}]",
        "\"preferred\": [{\"weight\": 50, \"preference\": {\"match_labels\": {\"tier\": \"gold\"}, "
            + "\"match_expressions\": []}}]",
        "\"anti_affinity\": []", "\"required_runtimes\": {}");
  }

  @Test
  void assigning_an_unknown_execution_is_a_bad_argument() {
    Worker w = db.adapter().registry().register(worker("w", 1, "shell"), NOW);

    assertThatThrownBy(() -> store.assign(new ExecutionId(999), w.id(), NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no execution 999");
  }

  @Test
  void assigning_to_an_unknown_worker_answers_worker_full_and_leaves_the_execution_waiting() {
    Execution e = store.create(request("pack.a", "shell"), NOW);

    Assignment answer = store.assign(e.id(), new WorkerId(999), NOW);

    assertThat(answer).isEqualTo(new Assignment.WorkerFull(new WorkerId(999)));
    assertThat(store.find(e.id())).contains(e);
  }

  @Test
  void assign_returns_the_execution_as_stored() {
    Worker w = db.adapter().registry().register(worker("w", 1, "shell"), NOW);
    Execution e = store.create(request("pack.a", "shell"), NOW);

    Assignment answer = store.assign(e.id(), w.id(), NOW);

    assertThat(answer).isInstanceOfSatisfying(Assignment.Assigned.class,
        assigned -> assertThat(store.find(e.id())).contains(assigned.execution()));
  }

  @Test
  void not_waiting_carries_the_execution_as_it_is_now() {
    Execution e = store.create(request("pack.a", "shell"), NOW);
    Transition cancelled = store.requestCancel(e.id(), "no", NOW.plusSeconds(1));
    Worker w = db.adapter().registry().register(worker("w", 1, "shell"), NOW);

    Assignment answer = store.assign(e.id(), w.id(), NOW.plusSeconds(2));

    assertThat(answer).isEqualTo(new Assignment.NotWaiting(cancelled.execution()));
  }

  @Test
  void a_transition_of_an_unknown_execution_is_a_bad_argument() {
    assertThatThrownBy(() -> store.requestCancel(new ExecutionId(999), "x", NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no execution 999");
  }

  @Test
  void every_transition_returns_the_execution_as_a_later_read_sees_it() {
    Worker w = db.adapter().registry().register(worker("w", 1, "shell"), NOW);
    Execution e = store.create(request("pack.a", "shell"), NOW);
    Execution placed = ((Assignment.Assigned) store.assign(e.id(), w.id(), NOW)).execution();

    Transition started = store.start(e.id(), placed.attempt(), w.id(), NOW.plusSeconds(1));
    assertThat(store.find(e.id())).contains(started.execution());
    Transition finished = store.finish(e.id(), placed.attempt(), ExecutionStatus.FAILED,
        new ExecutionResult(Optional.of(3), "out", "", null, "exit code 3"), NOW.plusSeconds(2));
    assertThat(store.find(e.id())).contains(finished.execution());
    assertThat(finished.execution().result()).get()
        .returns(Optional.of(3), ExecutionResult::exitCode)
        .returns(Optional.empty(), ExecutionResult::structured);
  }

  @Test
  void an_empty_result_is_still_a_result() {
    Worker w = db.adapter().registry().register(worker("w", 1, "shell"), NOW);
    Execution e = store.create(request("pack.a", "shell"), NOW);
    Execution placed = ((Assignment.Assigned) store.assign(e.id(), w.id(), NOW)).execution();

    store.start(e.id(), placed.attempt(), w.id(), NOW.plusSeconds(1));

    Transition finished = store.finish(e.id(), placed.attempt(), ExecutionStatus.SUCCEEDED,
        new ExecutionResult(Optional.empty(), "", "", null, ""), NOW.plusSeconds(2));

    assertThat(finished.applied()).isTrue();
    assertThat(store.find(e.id()).orElseThrow().result())
        .contains(new ExecutionResult(Optional.empty(), "", "", null, ""));
  }

  @Test
  void the_reserved_capacity_in_the_worker_row_follows_the_executions_it_holds() throws Exception {
    Worker w = db.adapter().registry().register(worker("w", 3, "shell"), NOW);
    Execution a = store.create(request("pack.a", "shell"), NOW);
    Execution b = store.create(request("pack.a", "shell"), NOW);
    Execution c = store.create(request("pack.a", "shell"), NOW);
    for (Execution e : List.of(a, b, c)) {
      store.assign(e.id(), w.id(), NOW);
    }
    store.start(a.id(), 1, w.id(), NOW);
    store.finish(a.id(), 1, ExecutionStatus.SUCCEEDED, ExecutionResult.message("ok"), NOW);
    store.recover(b.id(), 1, true, "lost", NOW);
    store.requestCancel(c.id(), "stop", NOW);
    store.start(b.id(), 1, w.id(), NOW);
    store.assign(b.id(), w.id(), NOW);

    assertThat(single("SELECT running FROM worker")).isEqualTo("1");
    assertThat(single("SELECT count(*) FROM execution WHERE status IN ('scheduled', 'running')")).isEqualTo("1");
  }

  private String single(String sql) throws Exception {
    try (Connection c = db.jdbc(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getString(1);
    }
  }
}
