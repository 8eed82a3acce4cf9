package io.attune.worker.core.model.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RuntimeNameTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "python3, python",
      "nodejs, node",
      "node.js, node",
      "bash, shell",
      "sh, shell",
      "builtin, native",
      "standalone, native",
      "rb, ruby",
      "golang, go",
      "jdk, java",
      "openjdk, java",
      "perl5, perl",
      "rscript, r"})
  void every_alias_of_the_architecture_maps_to_its_canonical_name(String alias, String canonical) {
    assertThat(RuntimeName.of(alias).value()).isEqualTo(canonical);
    assertThat(RuntimeName.of(alias.toUpperCase(java.util.Locale.ROOT))).isEqualTo(RuntimeName.of(canonical));
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "node", "shell", "native", "ruby", "go", "java", "perl", "r"})
  void a_canonical_name_maps_to_itself(String name) {
    assertThat(RuntimeName.of(name).value()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"python3", "python", "node", "nodejs", "shell", "bash", "native", "ruby", "go", "java",
      "perl", "r", "rscript"})
  void the_runtimes_the_worker_knows_and_their_aliases_are_built_in(String name) {
    assertThat(RuntimeName.of(name).isBuiltIn()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ml", "python-ml", "deno", "r2"})
  void other_names_are_custom(String name) {
    assertThat(RuntimeName.of(name).isBuiltIn()).isFalse();
  }

  @Test
  void the_built_in_names_are_listed_sorted_for_messages() {
    assertThat(RuntimeName.builtInNames()).containsExactly("go", "java", "native", "node", "perl", "python", "r",
        "ruby", "shell");
  }

  @Test
  void input_is_trimmed_and_lowercased_before_resolving_aliases() {
    assertThat(RuntimeName.parse("  Python3 ")).contains(RuntimeName.PYTHON);
    assertThat(RuntimeName.parse("Node.JS")).contains(RuntimeName.NODE);
  }

  @ParameterizedTest
  @CsvSource({"ml, ml", "ML, ml", "cuda-12, cuda-12", "py_tools.v2, py_tools.v2", "9lives, 9lives"})
  void a_custom_name_is_kept_as_written_lowercased(String raw, String kept) {
    assertThat(RuntimeName.of(raw).value()).isEqualTo(kept);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "-python", ".hidden", "_x", "my runtime", "py/thon", "pyth@n", "ünïcode"})
  void an_invalid_name_is_refused(String raw) {
    assertThat(RuntimeName.parse(raw)).isEmpty();
    assertThatThrownBy(() -> RuntimeName.of(raw))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + raw + "'")
        .hasMessageContaining("expected");
  }

  @Test
  void null_is_no_name() {
    assertThat(RuntimeName.parse(null)).isEmpty();
  }

  @Test
  void the_constructor_accepts_only_canonical_names() {
    assertThatThrownBy(() -> new RuntimeName("python3")).hasMessageContaining("not canonical");
    assertThatThrownBy(() -> new RuntimeName("Python")).hasMessageContaining("not canonical");
    assertThat(new RuntimeName("python")).isEqualTo(RuntimeName.PYTHON);
  }

  @Test
  void names_sort_alphabetically_and_print_as_their_value() {
    assertThat(RuntimeName.NATIVE.compareTo(RuntimeName.SHELL)).isNegative();
    assertThat(RuntimeName.of("bash")).hasToString("shell");
  }
}
