package io.attune.worker.core.model.capability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.tree.TreeReader;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The golden shape of capabilities, as ARCHITECTURE.md shows it and as the worker table stores it. */
class CapabilityTreeTest {

  private static final Map<String, Object> GOLDEN = Map.of(
      "runtimes", List.of("native", "python", "shell"),
      "max_concurrent_executions", 10,
      "worker_version", "0.1.0",
      "runtime_versions", Map.of("python", List.of("3.11.2")),
      "labels", Map.of("zone", "east"),
      "taints", List.of(Map.of("key", "gpu", "value", "true", "effect", "no_schedule")),
      "gpu_model", "a100");

  private static final Capabilities CAPABILITIES = Capabilities.builder()
      .runtime(RuntimeName.NATIVE).runtime(RuntimeName.PYTHON, Version.parse("3.11.2")).runtime(RuntimeName.SHELL)
      .maxConcurrentExecutions(10).workerVersion("0.1.0").label("zone", "east")
      .taint(new Taint("gpu", "true", TaintEffect.NO_SCHEDULE)).extras(Map.of("gpu_model", "a100")).build();

  @Test
  void the_golden_tree_reads_into_capabilities_and_writes_back_unchanged() {
    Capabilities read = CapabilityTree.fromTree(reader(GOLDEN));

    assertThat(read).isEqualTo(CAPABILITIES);
    assertThat(CapabilityTree.toTree(read)).isEqualTo(GOLDEN);
  }

  @Test
  void capabilities_survive_writing_and_reading() {
    Capabilities capabilities = Capabilities.builder()
        .runtime(RuntimeName.NODE, Version.parse("18.19.0"), Version.parse("20.11.1"))
        .runtime(RuntimeName.of("ml"))
        .maxConcurrentExecutions(3)
        .label("gpu", "nvidia")
        .taint(new Taint("spot", "", TaintEffect.PREFER_NO_SCHEDULE))
        .extras(Map.of("nested", Map.of("a", List.of(1, 2)), "flag", true))
        .build();

    assertThat(CapabilityTree.fromTree(reader(CapabilityTree.toTree(capabilities)))).isEqualTo(capabilities);
  }

  @Test
  void gpus_and_packs_are_written_when_present_and_survive_the_round_trip() {
    Capabilities capabilities = Capabilities.builder().runtime(RuntimeName.SHELL)
        .gpu(new Gpu("NVIDIA A100-SXM4-80GB", 81920)).gpu(new Gpu("NVIDIA A100-SXM4-80GB", 81920))
        .packs(List.of("ml", "core")).build();

    Map<String, Object> tree = CapabilityTree.toTree(capabilities);

    assertThat(tree).containsEntry("gpus", List.of(
            Map.of("model", "NVIDIA A100-SXM4-80GB", "memory_mib", 81920),
            Map.of("model", "NVIDIA A100-SXM4-80GB", "memory_mib", 81920)))
        .containsEntry("packs", List.of("core", "ml"));
    assertThat(CapabilityTree.fromTree(reader(tree))).isEqualTo(capabilities);
  }

  @Test
  void a_stored_tree_without_gpus_and_packs_means_no_gpu_and_every_pack() {
    Capabilities read = CapabilityTree.fromTree(reader(GOLDEN));

    assertThat(read.gpus()).isEmpty();
    assertThat(read.packs()).isEmpty();
    assertThat(read.servesPack("anything")).isTrue();
    assertThat(CapabilityTree.toTree(read)).doesNotContainKeys("gpus", "packs");
  }

  @Test
  void versions_listed_under_an_alias_are_merged_with_those_of_its_runtime() {
    Capabilities read = CapabilityTree.fromTree(reader(Map.of("runtimes", List.of("python3"),
        "runtime_versions", Map.of("python", List.of("3.11.2"), "python3", List.of("3.12.1")))));

    assertThat(read.runtimes()).containsExactly(RuntimeName.PYTHON);
    assertThat(read.versionsOf(RuntimeName.PYTHON)).containsExactly(Version.parse("3.11.2"), Version.parse("3.12.1"));
  }

  @Test
  void missing_keys_take_their_defaults() {
    Capabilities read = CapabilityTree.fromTree(reader(Map.of()));

    assertThat(read).isEqualTo(Capabilities.builder().build());
  }

  static Stream<Arguments> bad_values() {
    return Stream.of(
        Arguments.of("runtimes", "python", "runtimes = 'python'", "expected a list"),
        Arguments.of("runtimes", List.of("python", "C#"), "runtimes[1] = 'C#'", "expected a runtime name"),
        Arguments.of("max_concurrent_executions", 0, "max_concurrent_executions = 0", "expected an integer from 1"),
        Arguments.of("runtime_versions", Map.of("python", List.of("three")), "runtime_versions.python = 'three'",
            "expected a version like 3.11.2"),
        Arguments.of("taints", List.of(Map.of("key", "gpu", "effect", "sometimes")), "taints[0].effect = 'sometimes'",
            "expected no_schedule or prefer_no_schedule"),
        Arguments.of("taints", List.of(Map.of("value", "x")), "taints[0].key", "is required"),
        Arguments.of("labels", Map.of("zone", List.of("east")), "labels.zone", "expected a string"),
        Arguments.of("gpus", List.of(Map.of("model", "T4")), "gpus[0].memory_mib", "is required"),
        Arguments.of("gpus", List.of(Map.of("model", "T4", "memory_mib", -1)), "gpus[0].memory_mib = -1",
            "expected an integer from 0"),
        Arguments.of("gpus", List.of(Map.of("memory_mib", 1)), "gpus[0].model", "is required"),
        Arguments.of("packs", List.of("core", "a.b"), "packs[1] = 'a.b'", "expected a pack name"));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("bad_values")
  void a_bad_value_is_an_error_naming_the_key_and_what_was_expected(String key, Object value, String entry,
      String expected) {
    Map<String, Object> tree = Map.of(key, value);

    assertThatThrownBy(() -> CapabilityTree.fromTree(reader(tree)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("caps.json: " + entry)
        .hasMessageContaining(expected);
  }

  private static TreeReader reader(Map<String, Object> tree) {
    return TreeReader.of(tree, "caps.json", "");
  }

  @Test
  void a_declaration_reads_every_key_it_knows_so_none_falls_through_to_the_extras() {
    Map<String, Object> declared = Map.of(
        "runtimes", List.of("shell", "python"),
        "max_concurrent_executions", 4,
        "labels", Map.of("zone", "east"),
        "taints", List.of(Map.of("key", "gpu", "value", "true", "effect", "no_schedule")),
        "gpu_memory", "16GB");

    CapabilityDeclaration declaration = CapabilityTree.declarationFromTree(TreeReader.of(declared, "w.yaml",
        "worker.capabilities"));

    assertThat(declaration.runtimes()).contains(List.of("shell", "python"));
    assertThat(declaration.maxConcurrentExecutions()).contains(4);
    assertThat(declaration.labels()).containsExactly(Map.entry("zone", "east"));
    assertThat(declaration.taints()).containsExactly(new Taint("gpu", "true", TaintEffect.NO_SCHEDULE));
    assertThat(declaration.extras()).containsOnlyKeys("gpu_memory");
    // every known key is either read above or refused as not declarable: none is silently dropped
    assertThat(Capabilities.KNOWN_KEYS).allMatch(key -> declared.containsKey(key)
        || CapabilityTree.NOT_DECLARABLE.containsKey(key));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("what_the_worker_learns_by_itself")
  void a_declaration_of_what_the_worker_learns_by_itself_is_an_error_naming_the_key(String key, Object value) {
    assertThatThrownBy(() -> CapabilityTree.declarationFromTree(TreeReader.of(Map.of(key, value), "w.yaml",
        "worker.capabilities")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("w.yaml: worker.capabilities." + key)
        .hasMessageContaining("no such setting");
  }

  static Stream<Arguments> what_the_worker_learns_by_itself() {
    return Stream.of(Arguments.of("worker_version", "9.9.9"),
        Arguments.of("runtime_versions", Map.of("python", List.of("3.12"))),
        Arguments.of("gpus", List.of(Map.of("model", "NVIDIA A100", "memory_mib", 81920))));
  }

  @Test
  void packs_declared_among_the_capabilities_are_an_error_pointing_to_worker_packs() {
    assertThatThrownBy(() -> CapabilityTree.declarationFromTree(TreeReader.of(Map.of("packs", List.of("core")),
        "w.yaml", "worker.capabilities")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("w.yaml: worker.capabilities.packs")
        .hasMessageContaining("worker.packs");
  }

  @Test
  void a_declared_limit_above_the_ceiling_is_an_error() {
    assertThatThrownBy(() -> CapabilityTree.declarationFromTree(TreeReader.of(
        Map.of("max_concurrent_executions", CapabilityTree.MAX_DECLARED_CONCURRENT_EXECUTIONS + 1), "w.yaml",
        "worker.capabilities")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("worker.capabilities.max_concurrent_executions");
  }
}
