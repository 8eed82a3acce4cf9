package io.attune.worker.core.model.worker;

import static io.attune.worker.core.testkit.WorkerFixture.aWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.capability.CapabilityTree;
import io.attune.worker.core.model.tree.TreeReader;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
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
  void what_a_worker_reserves_beyond_its_slots_is_written_and_read_by_counter() {
    Worker worker = aWorker("gpu-1").runtimes("shell").gpus(2, "NVIDIA A100", 81920).running(1, 4).reserved("gpus", 1)
        .reserved("pack:ml", 1).build(NOW);

    Map<String, Object> tree = WorkerTree.toTree(worker, NOW);

    assertThat(tree).containsEntry("running", 1).containsEntry("reserved", Map.of("gpus", 1, "pack:ml", 1));
    assertThat(WorkerTree.fromTree(TreeReader.of(tree, "test", ""), worker.id()).reserved())
        .isEqualTo(worker.reserved());
    assertThat(WorkerTree.toTree(aWorker("cpu").runtimes("shell").running(2, 4).build(NOW), NOW))
        .doesNotContainKey("reserved");
  }

  @Test
  void gpus_in_use_as_written_before_reserved_is_still_read_as_the_gpus_reserved() {
    Map<String, Object> tree = Map.of("name", "gpu-1", "running", 1, "gpus_in_use", 2);

    Worker read = WorkerTree.fromTree(TreeReader.of(tree, "test", ""), new WorkerId(1));

    assertThat(read.reserved().asMap()).isEqualTo(Map.of("slots", 1, "gpus", 2));
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
  void the_golden_tree_reads_into_a_worker_and_writes_back_unchanged() {
    Map<String, Object> capabilities = Map.of("runtimes", List.of("python", "shell"), "max_concurrent_executions", 4,
        "worker_version", "0.1.0", "runtime_versions", Map.of("python", List.of("3.11.2")),
        "labels", Map.of("zone", "east"), "taints", List.of());
    Map<String, Object> golden = new LinkedHashMap<>();
    golden.put("name", "w-1");
    golden.put("type", "container");
    golden.put("status", "draining");
    golden.put("cordoned", true);
    golden.put("runtimes", List.of("python", "shell"));
    golden.put("runtime_versions", Map.of("python", List.of("3.11.2")));
    golden.put("running", 2);
    golden.put("max_concurrent_executions", 4);
    golden.put("heartbeat_age_seconds", 12.5);
    golden.put("last_heartbeat", "2026-01-01T00:00:47.500Z");
    golden.put("heartbeat_interval_seconds", 5L);
    golden.put("capabilities", capabilities);

    Worker read = WorkerTree.fromTree(TreeReader.of(golden, "workers.json", "[0]"), new WorkerId(3));

    assertThat(read).isEqualTo(new Worker(new WorkerId(3), "w-1", WorkerType.CONTAINER, "", WorkerStatus.DRAINING,
        true, CapabilityTree.fromTree(TreeReader.of(capabilities, "test", "")), Duration.ofSeconds(5),
        Instant.parse("2026-01-01T00:00:47.500Z"), 2));
    assertThat(WorkerTree.toTree(read, NOW)).isEqualTo(golden);
  }

  @Test
  void a_bad_capability_inside_a_worker_names_its_full_path() {
    assertThatThrownBy(() -> WorkerTree.fromTree(TreeReader.of(Map.of("name", "w", "capabilities",
        Map.of("max_concurrent_executions", 0)), "workers.json", "[2]"), new WorkerId(1)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("workers.json: [2].capabilities.max_concurrent_executions = 0")
        .hasMessageContaining("expected an integer from 1");
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
        .hasMessageContaining("expected active, draining, inactive or error");
    assertThatThrownBy(() -> WorkerTree.fromTree(TreeReader.of(Map.of("name", "w", "colour", "red"), "workers.json",
        "[0]"), new WorkerId(1)))
        .hasMessageContaining("unknown key");
  }
}
