package io.attune.worker.core.model.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.RequirementsTree;
import io.attune.worker.core.model.tree.TreeReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code prefer_previous_worker} in the requirements codec: true, false, a weight, and what is refused. */
class PreferPreviousWorkerTreeTest {

  @Test
  void true_means_the_highest_weight() {
    ActionRequirements read = read(true);

    assertThat(read.preferPreviousWorker()).isEqualTo(100);
    assertThat(read.prefersPreviousWorker()).isTrue();
  }

  @Test
  void false_and_absent_mean_off_and_write_no_key() {
    assertThat(read(false).prefersPreviousWorker()).isFalse();
    ActionRequirements absent = RequirementsTree.fromTree(reader(Map.of("ref", "demo.warm", "runtime", "shell")));

    assertThat(absent.preferPreviousWorker()).isZero();
    assertThat(RequirementsTree.toTree(absent)).doesNotContainKey("prefer_previous_worker");
    assertThat(RequirementsTree.toTree(read(false))).doesNotContainKey("prefer_previous_worker");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 37, 100})
  void a_weight_from_1_to_100_is_kept_and_written_back(int weight) {
    ActionRequirements read = read(weight);

    assertThat(read.preferPreviousWorker()).isEqualTo(weight);
    Map<String, Object> written = RequirementsTree.toTreeWithoutRef(read);
    assertThat(written).containsEntry("prefer_previous_worker", weight);
    assertThat(RequirementsTree.fromTree(reader(written), ActionRef.parse("demo.warm"))).isEqualTo(read);
  }

  @Test
  void the_placement_block_of_an_action_file_takes_it() {
    ActionRequirements read = RequirementsTree.fromParts(ActionRef.parse("demo.warm"),
        reader(Map.of("runtime", "shell")), reader(Map.of("prefer_previous_worker", 25)));

    assertThat(read.preferPreviousWorker()).isEqualTo(25);
    assertThat(RequirementsTree.PLACEMENT_KEYS).contains("prefer_previous_worker");
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "0", "101", "-5", "2.5", "null"})
  void anything_else_is_an_error_naming_the_key_and_what_is_expected(String text) {
    Object value = switch (text) {
      case "yes" -> "yes";
      case "2.5" -> 2.5;
      case "null" -> new LinkedHashMap<>();
      default -> Integer.parseInt(text);
    };

    assertThatThrownBy(() -> read(value))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("action.json")
        .hasMessageContaining("prefer_previous_worker")
        .hasMessageContaining("expected true, false or a weight from 1 to 100");
  }

  @Test
  void a_weight_out_of_range_is_refused_by_the_value_too() {
    ActionRequirements plain = read(false);

    assertThatThrownBy(() -> plain.withPreferPreviousWorker(101)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefer_previous_worker");
  }

  private static ActionRequirements read(Object value) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("ref", "demo.warm");
    tree.put("runtime", "shell");
    tree.put("prefer_previous_worker", value);
    return RequirementsTree.fromTree(reader(tree));
  }

  private static TreeReader reader(Map<String, Object> tree) {
    return TreeReader.of(tree, "action.json", "");
  }
}
