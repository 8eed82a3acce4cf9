package io.attune.worker.core.model.placement.requirement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.VersionConstraint;
import io.attune.worker.core.model.tree.TreeReader;
import io.attune.worker.core.testkit.ActionFixture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The golden shape of an action's requirements: the action file of {@code explain}, and the stored column. */
class RequirementsTreeTest {

  private static final Map<String, Object> TERM_ZONE = Map.of("match_labels", Map.of(),
      "match_expressions", List.of(Map.of("key", "zone", "operator", "in", "values", List.of("east", "west"))));

  private static final Map<String, Object> GOLDEN = Map.of(
      "ref", "pack.train",
      "runtime", "python",
      "runtime_version", "~3.11",
      "required_runtimes", Map.of("node", ">=18"),
      "selector", Map.of("gpu", "nvidia"),
      "tolerations", List.of(
          Map.of("key", "gpu", "operator", "equal", "value", "true"),
          Map.of("key", "spot", "operator", "exists", "value", "", "effect", "prefer_no_schedule")),
      "affinity", Map.of(
          "required", List.of(TERM_ZONE),
          "preferred", List.of(Map.of("weight", 40, "preference",
              Map.of("match_labels", Map.of("tier", "gold"), "match_expressions", List.of()))),
          "anti_affinity", List.of(Map.of("match_labels", Map.of("flaky", "true"), "match_expressions", List.of()))));

  private static final ActionRequirements REQUIREMENTS = ActionFixture.anAction("pack.train").runtime("python")
      .version("~3.11").requires("node", ">=18").selector("gpu", "nvidia").tolerates("gpu", "true")
      .toleratesKey("spot", TaintEffect.PREFER_NO_SCHEDULE).requiresLabelIn("zone", "east", "west")
      .prefers(40, "tier", "gold").avoids("flaky", "true").build();

  @Test
  void the_golden_tree_reads_into_requirements_and_writes_back_unchanged() {
    ActionRequirements read = RequirementsTree.fromTree(reader(GOLDEN));

    assertThat(read).isEqualTo(REQUIREMENTS);
    assertThat(RequirementsTree.toTree(read)).isEqualTo(GOLDEN);
  }

  @Test
  void a_gpu_requirement_is_written_only_when_the_action_needs_a_gpu_and_survives_the_round_trip() {
    ActionRequirements needsGpus = ActionFixture.anAction("ml.train").runtime("python").gpus(2, 40000).build();

    Map<String, Object> tree = RequirementsTree.toTree(needsGpus);

    assertThat(tree).containsEntry("gpu", Map.of("count", 2, "min_memory_mib", 40000));
    assertThat(RequirementsTree.fromTree(reader(tree))).isEqualTo(needsGpus);
    assertThat(RequirementsTree.toTree(REQUIREMENTS)).doesNotContainKey("gpu");
  }

  @Test
  void a_gpu_block_without_count_means_one_gpu_of_any_memory() {
    ActionRequirements read = RequirementsTree.fromTree(reader(Map.of("ref", "ml.x", "runtime", "shell",
        "gpu", Map.of())));

    assertThat(read.gpu()).isEqualTo(new GpuRequirement(1, 0));
  }

  @Test
  void requirements_survive_writing_and_reading_with_and_without_their_reference() {
    assertThat(RequirementsTree.fromTree(reader(RequirementsTree.toTree(REQUIREMENTS)))).isEqualTo(REQUIREMENTS);
    assertThat(RequirementsTree.fromTree(reader(RequirementsTree.toTreeWithoutRef(REQUIREMENTS)),
        REQUIREMENTS.actionRef())).isEqualTo(REQUIREMENTS);
  }

  @Test
  void the_tree_without_reference_is_the_golden_tree_less_its_ref() {
    Map<String, Object> expected = new LinkedHashMap<>(GOLDEN);
    expected.remove("ref");

    assertThat(RequirementsTree.toTreeWithoutRef(REQUIREMENTS)).isEqualTo(expected);
  }

  @Test
  void only_a_runtime_reads_with_defaults_and_aliases_canonicalised() {
    ActionRequirements read = RequirementsTree.fromTree(reader(Map.of("ref", "pack.a", "runtime", "python3")));

    assertThat(read).isEqualTo(ActionRequirements.of(new ActionRef("pack", "a"), RuntimeName.PYTHON));
  }

  @Test
  void required_runtimes_may_be_a_list_of_names_meaning_any_version() {
    ActionRequirements read = RequirementsTree.fromTree(reader(Map.of("ref", "pack.a", "runtime", "shell",
        "required_runtimes", List.of("node", "bash"))));

    assertThat(read.requiredRuntimes()).isEqualTo(Map.of(RuntimeName.NODE, VersionConstraint.any(),
        RuntimeName.SHELL, VersionConstraint.any()));
  }

  @Test
  void placement_read_from_a_block_of_its_own_equals_the_same_keys_read_from_one_document() {
    Map<String, Object> runtimePart = Map.of("runtime", "python", "runtime_version", "~3.11");
    Map<String, Object> placementPart = new LinkedHashMap<>(GOLDEN);
    placementPart.keySet().removeAll(List.of("ref", "runtime", "runtime_version"));

    ActionRequirements read = RequirementsTree.fromParts(ActionRef.parse("pack.train"), reader(runtimePart),
        TreeReader.of(placementPart, "action.yaml", "placement"));

    assertThat(read).isEqualTo(REQUIREMENTS);
  }

  static Stream<Arguments> bad_documents() {
    return Stream.of(
        Arguments.of(Map.of("runtime", "shell"), "ref", "is required"),
        Arguments.of(Map.of("ref", "hello", "runtime", "shell"), "ref = 'hello'", "expected <pack>.<name>"),
        Arguments.of(Map.of("ref", "p.a"), "runtime", "is required"),
        Arguments.of(Map.of("ref", "p.a", "runtime", "C#"), "runtime = 'C#'", "expected a runtime name"),
        Arguments.of(Map.of("ref", "p.a", "runtime", "shell", "runtime_version", ">>3"), "runtime_version = '>>3'",
            ""),
        Arguments.of(Map.of("ref", "p.a", "runtime", "shell", "colour", "red"), "colour", "unknown key"),
        Arguments.of(Map.of("ref", "p.a", "runtime", "shell", "required_runtimes",
            Map.of("python", ">=3", "python3", "<4")), "required_runtimes.python", "expected each runtime once"),
        Arguments.of(Map.of("ref", "p.a", "runtime", "shell", "tolerations",
            List.of(Map.of("key", "gpu", "operator", "near"))), "tolerations[0].operator = 'near'",
            "expected equal or exists"),
        Arguments.of(Map.of("ref", "p.a", "runtime", "shell", "tolerations", List.of(Map.of("value", "x"))),
            "tolerations[0].key", "is required unless operator is exists"),
        Arguments.of(Map.of("ref", "p.a", "runtime", "shell", "affinity", Map.of("preferred",
            List.of(Map.of("weight", 0, "preference", Map.of())))), "affinity.preferred[0].weight = 0",
            "expected an integer from 1 to 100"),
        Arguments.of(Map.of("ref", "p.a", "runtime", "shell", "affinity", Map.of("required",
            List.of(Map.of("match_expressions", List.of(Map.of("key", "zone", "operator", "near")))))),
            "affinity.required[0].match_expressions[0].operator = 'near'",
            "expected in, not_in, exists or does_not_exist"),
        Arguments.of(Map.of("ref", "p.a", "runtime", "shell", "gpu", Map.of("count", 0)), "gpu.count = 0",
            "expected an integer from 1 to 64"),
        Arguments.of(Map.of("ref", "p.a", "runtime", "shell", "gpu", Map.of("min_memory_mib", "40GB")),
            "gpu.min_memory_mib = '40GB'", "expected an integer"),
        Arguments.of(Map.of("ref", "p.a", "runtime", "shell", "gpu", Map.of("memory", 1)), "gpu.memory",
            "unknown key"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("bad_documents")
  void a_bad_document_is_an_error_naming_the_key_and_what_was_expected(Map<String, Object> tree, String entry,
      String expected) {
    assertThatThrownBy(() -> RequirementsTree.fromTree(reader(tree)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("action.json: " + entry)
        .hasMessageContaining(expected);
  }

  @Test
  void a_document_kept_beside_its_reference_must_not_carry_a_reference_of_its_own() {
    assertThatThrownBy(() -> RequirementsTree.fromTree(reader(Map.of("ref", "p.b", "runtime", "shell")),
        ActionRef.parse("p.a")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("action.json: ref: unknown key");
  }

  private static TreeReader reader(Map<String, Object> tree) {
    return TreeReader.of(tree, "action.json", "");
  }
}
