package io.attune.worker.core.model.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NulCharactersTest {

  @Test
  void a_tree_without_nul_has_no_path() {
    assertThat(NulCharacters.pathsIn("config", Map.of("items", List.of("a", 1, true), "n", Map.of()))).isEmpty();
    assertThat(NulCharacters.pathsIn("name", "Ada")).isEmpty();
    assertThat(NulCharacters.pathsIn("count", null)).isEmpty();
  }

  @Test
  void every_string_and_key_holding_nul_is_named_by_its_path() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("items", List.of("a", "b", "c\0d"));
    config.put("nested", Map.of("deep", List.of(Map.of("x", "\0"))));
    config.put("k\0ey", "fine");

    assertThat(NulCharacters.pathsIn("config", config))
        .containsExactly("config.items[2]", "config.nested.deep[0].x", "config.k\\u0000ey");
  }

  @Test
  void the_name_itself_and_a_plain_string_value() {
    assertThat(NulCharacters.pathsIn("na\0me", "x")).containsExactly("na\\u0000me");
    assertThat(NulCharacters.pathsIn("name", "a\0b")).containsExactly("name");
  }

  @Test
  void a_key_that_holds_nul_and_a_value_that_does_too_are_named_once() {
    assertThat(NulCharacters.pathsIn("config", Map.of("k\0", "v\0"))).containsExactly("config.k\\u0000");
  }

  @Test
  void printable_spells_each_nul_so_that_no_message_carries_one() {
    assertThat(NulCharacters.printable("a\0b\0")).isEqualTo("a\\u0000b\\u0000").doesNotContain("\0");
  }

  @Test
  void a_declaration_whose_name_or_default_holds_nul_is_a_bug_of_the_reader() {
    assertThatThrownBy(() -> new ParameterSpec("n\0", ParameterType.STRING, false, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n\\u0000");
    assertThatThrownBy(() -> new ParameterSpec("config", ParameterType.OBJECT, false, Map.of("k", List.of("\0"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("default.k[0]");
  }
}
