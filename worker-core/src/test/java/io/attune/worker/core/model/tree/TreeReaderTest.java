package io.attune.worker.core.model.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.error.ConfigurationException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reader every codec of the core uses: values by type, and errors that name the source, path and expectation. */
class TreeReaderTest {

  private static final TreeReader ROOT = TreeReader.of(Map.of(
      "name", "w-1",
      "slots", 4,
      "big", 12_000_000_000L,
      "cordoned", true,
      "labels", Map.of("zone", "east"),
      "runtimes", List.of("shell", "python"),
      "taints", List.of(Map.of("key", "gpu")),
      "colour", "red"), "worker.yaml", "worker");

  @Test
  void values_are_read_by_their_type() {
    assertThat(ROOT.string("name")).contains("w-1");
    assertThat(ROOT.requiredString("name")).isEqualTo("w-1");
    assertThat(ROOT.integer("slots", 1, 10)).contains(4);
    assertThat(ROOT.integer("big")).contains(12_000_000_000L);
    assertThat(ROOT.bool("cordoned")).contains(true);
    assertThat(ROOT.stringMap("labels")).isEqualTo(Map.of("zone", "east"));
    assertThat(ROOT.strings("runtimes")).contains(List.of("shell", "python"));
    assertThat(ROOT.objects("taints")).singleElement().satisfies(t -> assertThat(t.string("key")).contains("gpu"));
    assertThat(ROOT.string("absent")).isEmpty();
    // YAML reads `version: 3.11` as a number; where a string is expected its text is meant
    assertThat(ROOT.string("slots")).contains("4");
    assertThat(ROOT.rest(Set.of("name", "slots", "big", "cordoned", "labels", "runtimes", "taints")))
        .isEqualTo(Map.of("colour", "red"));
  }

  @Test
  void a_value_of_the_wrong_type_names_the_source_the_path_and_the_expected_type() {
    assertThatThrownBy(() -> ROOT.string("labels")).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("worker.yaml").hasMessageContaining("worker.labels").hasMessageContaining("expected a string");
    assertThatThrownBy(() -> ROOT.bool("name")).hasMessageContaining("worker.name")
        .hasMessageContaining("expected true or false");
    assertThatThrownBy(() -> ROOT.integer("slots", 5, 10)).hasMessageContaining("worker.slots = 4")
        .hasMessageContaining("expected an integer from 5 to 10");
  }

  @Test
  void a_missing_required_value_and_an_unknown_key_are_named() {
    assertThatThrownBy(() -> ROOT.requiredString("host")).hasMessageContaining("worker.host")
        .hasMessageContaining("is required");
    assertThatThrownBy(() -> ROOT.onlyKeys(Set.of("name"))).hasMessageContaining("unknown key")
        .hasMessageContaining("[name]");
  }
}
