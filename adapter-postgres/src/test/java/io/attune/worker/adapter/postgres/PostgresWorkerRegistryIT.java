package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.Fixtures.NOW;
import static io.attune.worker.adapter.postgres.Fixtures.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.Taint;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.placement.Fleet;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.out.WorkerDirectory;
import io.attune.worker.core.port.out.WorkerRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresWorkerRegistryIT {

  @RegisterExtension
  static final MigratedDatabase db = new MigratedDatabase("registry");
  private WorkerRegistry registry;
  private WorkerDirectory directory;

  @BeforeEach
  void empty() {
    db.truncate();
    registry = db.adapter().registry();
    directory = db.adapter().directory();
  }

  @Test
  void register_stores_every_capability_and_reads_it_back_equal() {
    Capabilities capabilities = Capabilities.builder()
        .runtime(RuntimeName.PYTHON, Version.parse("3.11.2"), Version.parse("3.12"))
        .runtime(RuntimeName.SHELL)
        .maxConcurrentExecutions(4)
        .label("zone", "east")
        .taint(new Taint("gpu", "true", TaintEffect.NO_SCHEDULE))
        .extras(Map.of("gpu_model", "a100", "disks", List.of("ssd", "hdd")))
        .build();
    WorkerRegistration registration = new WorkerRegistration("py-1", WorkerType.CONTAINER, "box",
        capabilities, Duration.ofSeconds(15));

    Worker registered = registry.register(registration, NOW);

    assertThat(registered).isEqualTo(Worker.registered(registered.id(), registration, NOW));
    assertThat(directory.byId(registered.id())).contains(registered);
    assertThat(directory.byName("py-1")).contains(registered);
  }

  @Test
  void capabilities_are_stored_in_the_snake_case_shape_of_the_architecture() throws Exception {
    registry.register(worker("py-1", 7, "python"), NOW);

    String json;
    try (Connection c = db.jdbc(); Statement s = c.createStatement();
        var r = s.executeQuery("SELECT capabilities::text FROM worker")) {
      r.next();
      json = r.getString(1);
    }

    assertThat(json).contains("\"runtimes\": [\"python\"]", "\"max_concurrent_executions\": 7",
        "\"worker_version\": \"" + Capabilities.WORKER_VERSION + "\"", "\"runtime_versions\": {}",
        "\"labels\": {}", "\"taints\": []");
  }

  @Test
  void registering_a_name_again_keeps_id_cordon_and_reserved_capacity_and_reactivates() throws Exception {
    Worker first = registry.register(worker("w", 2, "shell"), NOW);
    registry.setCordoned("w", true);
    registry.markInactive(first.id());
    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      s.execute("UPDATE worker SET running = 1");
    }

    Worker again = registry.register(worker("w", 5, "shell", "python"), NOW.plusSeconds(60));

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.cordoned()).isTrue();
    assertThat(again.running()).isEqualTo(1);
    assertThat(again.status()).isEqualTo(WorkerStatus.ACTIVE);
    assertThat(again.lastHeartbeat()).isEqualTo(NOW.plusSeconds(60));
    assertThat(again.capabilities().maxConcurrentExecutions()).isEqualTo(5);
    assertThat(directory.all()).containsExactly(again);
  }

  @Test
  void register_refuses_a_heartbeat_interval_that_is_not_whole_seconds() {
    WorkerRegistration fractional = new WorkerRegistration("w", WorkerType.LOCAL, "", Capabilities.builder()
        .build(), Duration.ofMillis(1500));

    assertThatThrownBy(() -> registry.register(fractional, NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT1.5S").hasMessageContaining("whole number of seconds");
  }

  @Test
  void heartbeat_records_the_instant_and_brings_an_inactive_worker_back() {
    Worker w = registry.register(worker("w", 2, "shell"), NOW);
    registry.markInactive(w.id());

    boolean known = registry.heartbeat(w.id(), NOW.plusSeconds(5));

    assertThat(known).isTrue();
    assertThat(directory.byId(w.id())).get()
        .returns(WorkerStatus.ACTIVE, Worker::status)
        .returns(NOW.plusSeconds(5), Worker::lastHeartbeat);
  }

  @Test
  void heartbeat_of_an_unknown_worker_answers_false() {
    assertThat(registry.heartbeat(new WorkerId(4242), NOW)).isFalse();
  }

  @Test
  void mark_inactive_answers_true_only_for_a_worker_that_was_active() {
    Worker w = registry.register(worker("w", 2, "shell"), NOW);

    assertThat(registry.markInactive(w.id())).isTrue();
    assertThat(registry.markInactive(w.id())).isFalse();
    assertThat(registry.markInactive(new WorkerId(4242))).isFalse();
    assertThat(directory.byId(w.id())).get().returns(WorkerStatus.INACTIVE, Worker::status);
  }

  @Test
  void set_cordoned_by_name_returns_the_changed_worker_or_nothing_for_an_unknown_name() {
    registry.register(worker("w", 2, "shell"), NOW);

    assertThat(registry.setCordoned("w", true)).get().returns(true, Worker::cordoned);
    assertThat(registry.setCordoned("w", false)).get().returns(false, Worker::cordoned);
    assertThat(registry.setCordoned("nobody", true)).isEmpty();
  }

  @Test
  void all_lists_every_worker_sorted_by_name() {
    registry.register(worker("c", 1, "shell"), NOW);
    registry.register(worker("a", 1, "shell"), NOW);
    registry.register(worker("b", 1, "shell"), NOW);

    assertThat(directory.all()).extracting(Worker::name).containsExactly("a", "b", "c");
  }

  @Test
  void candidates_are_the_workers_offering_the_runtime_whatever_their_health() {
    Worker py1 = registry.register(worker("py-1", 2, "python", "shell"), NOW);
    Worker py2 = registry.register(worker("py-2", 2, "python"), NOW);
    registry.register(worker("node-1", 2, "node", "shell"), NOW);
    registry.markInactive(py2.id());
    registry.setCordoned("py-1", true);

    Fleet fleet = directory.candidatesFor(ActionRequirements.of("pack.a", RuntimeName.PYTHON));

    assertThat(fleet.workers()).extracting(Worker::name).containsExactly("py-1", "py-2");
    assertThat(fleet.byName("py-1")).get().returns(py1.id(), Worker::id).returns(true, Worker::cordoned);
    assertThat(directory.candidatesFor(ActionRequirements.of("pack.b", RuntimeName.of("ml"))).size()).isZero();
  }

  @Test
  void the_candidate_query_can_use_the_runtimes_gin_index() throws Exception {
    registry.register(worker("py-1", 2, "python"), NOW);
    PostgresWorkerRegistry workers = (PostgresWorkerRegistry) registry;
    String plan;
    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      s.execute("SET enable_seqscan = off");
      var query = workers.candidatesQuery(ActionRequirements.of("pack.a", RuntimeName.PYTHON));
      StringBuilder lines = new StringBuilder();
      try (var r = s.executeQuery("EXPLAIN " + DSL.using(c).renderInlined(query))) {
        while (r.next()) {
          lines.append(r.getString(1)).append('\n');
        }
      }
      plan = lines.toString();
    }

    assertThat(plan).contains("worker_runtimes_idx");
  }

  @Test
  void stale_active_workers_are_those_silent_for_three_of_their_own_intervals() {
    registry.register(new WorkerRegistration("slow", WorkerType.LOCAL, "", Capabilities.builder().build(),
        Duration.ofSeconds(60)), NOW);
    registry.register(new WorkerRegistration("fast", WorkerType.LOCAL, "", Capabilities.builder().build(),
        Duration.ofSeconds(10)), NOW);
    Worker gone = registry.register(new WorkerRegistration("gone", WorkerType.LOCAL, "",
        Capabilities.builder().build(), Duration.ofSeconds(10)), NOW);
    registry.markInactive(gone.id());

    assertThat(directory.staleActive(NOW.plusSeconds(29))).isEmpty();
    // exactly three intervals is stale, as in Worker.isFresh
    assertThat(directory.staleActive(NOW.plusSeconds(30))).extracting(Worker::name).containsExactly("fast");
    assertThat(directory.staleActive(NOW.plusSeconds(180))).extracting(Worker::name)
        .containsExactly("fast", "slow");
  }

  @Test
  void a_worker_that_never_heartbeated_is_stale() throws Exception {
    registry.register(worker("w", 1, "shell"), NOW);
    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      s.execute("UPDATE worker SET last_heartbeat = NULL");
    }

    assertThat(directory.staleActive(NOW)).extracting(Worker::name).containsExactly("w");
  }
}
