package io.attune.worker.core.model.worker;

import static io.attune.worker.core.testkit.WorkerFixture.aWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.tree.TreeReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerTreeTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");

  @Test
  void a_worker_survives_the_round_trip_through_its_tree() {
    Worker worker = aWorker("w-1").runtime("python", "3.11.2").runtimes("shell").running(2, 4).label("zone", "east")
        .taint("gpu", "true").cordoned().heartbeatAgo(Duration.ofSeconds(12)).heartbeatInterval(Duration.ofSeconds(5))
        .build(NOW);

    Worker read = WorkerTree.fromTree(TreeReader.of(WorkerTree.toTree(worker, NOW), "test", ""), worker.id());

    assertThat(read).isEqualTo(new Worker(worker.id(), worker.name(), worker.type(), "", worker.status(),
        worker.cordoned(), worker.capabilities(), worker.heartbeatInterval(), worker.lastHeartbeatAt().orElseThrow(),
        worker.running()));
  }

  @Test
  void the_tree_has_the_fields_of_workers_json_and_those_explain_reads() {
    Worker worker = aWorker("w-1").runtime("python", "3.11.2").runtimes("shell").running(1, 4)
        .heartbeatAgo(Duration.ofMillis(2500)).build(NOW);

    Map<String, Object> tree = WorkerTree.toTree(worker, NOW);

    assertThat(tree).containsEntry("name", "w-1").containsEntry("type", "local").containsEntry("status", "active")
        .containsEntry("cordoned", false).containsEntry("runtimes", List.of("python", "shell"))
        .containsEntry("runtime_versions", Map.of("python", List.of("3.11.2"))).containsEntry("running", 1)
        .containsEntry("max_concurrent_executions", 4).containsEntry("heartbeat_age_seconds", 2.5)
        .containsEntry("last_heartbeat", "2026-01-01T00:00:57.500Z").containsEntry("heartbeat_interval_seconds", 30L)
        .containsKey("capabilities");
  }

  @Test
  void missing_fields_take_their_defaults() {
    Worker read = WorkerTree.fromTree(TreeReader.of(Map.of("name", "bare"), "test", ""), new WorkerId(7));

    assertThat(read.status()).isEqualTo(WorkerStatus.ACTIVE);
    assertThat(read.cordoned()).isFalse();
    assertThat(read.running()).isZero();
    assertThat(read.heartbeatInterval()).hasSeconds(30);
    assertThat(read.lastHeartbeatAt()).isEmpty();
  }

  @Test
  void a_bad_field_is_an_error_naming_the_source_path_and_what_was_expected() {
    assertThatThrownBy(() -> WorkerTree.fromTree(TreeReader.of(Map.of("name", "w", "status", "asleep"), "workers.json",
        "[3]"), new WorkerId(1)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("workers.json").hasMessageContaining("[3].status").hasMessageContaining("asleep")
        .hasMessageContaining("expected active, draining or inactive");
    assertThatThrownBy(() -> WorkerTree.fromTree(TreeReader.of(Map.of("name", "w", "colour", "red"), "workers.json",
        "[0]"), new WorkerId(1)))
        .hasMessageContaining("unknown key");
  }
}
