package io.attune.worker.core.model.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      Python 3.11.2                                           | 3.11.2
      v20.11.1                                                | 20.11.1
      go version go1.22.1 linux/amd64                         | 1.22.1
      openjdk version "17.0.15" 2025-04-15                    | 17.0.15
      This is perl 5, version 36, subversion 0 (v5.36.0)      | 5.36.0
      ruby 3.2.3 (2024-01-18 revision 52bb2ac0a6) [x86_64]    | 3.2.3
      Python 3.12                                             | 3.12.0
      """)
  void the_version_is_found_in_real_version_outputs(String output, String expected) {
    assertThat(Version.findIn(output)).map(Version::toString).contains(expected);
  }

  @Test
  void the_version_is_found_on_a_later_line_of_java_version_output() {
    String javaVersion = """
        openjdk version "17.0.15" 2025-04-15
        OpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)
        OpenJDK 64-Bit Server VM (build 17.0.15+6-Debian-1deb12u1, mixed mode, sharing)
        """;
    assertThat(Version.findIn(javaVersion)).contains(new Version(17, 0, 15));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "command not found", "version unknown", "build 17", "v", "go version devel"})
  void output_without_a_dotted_version_yields_nothing(String garbage) {
    assertThat(Version.findIn(garbage)).isEmpty();
  }

  @Test
  void null_output_yields_nothing() {
    assertThat(Version.findIn(null)).isEmpty();
  }

  @Test
  void a_number_too_large_for_a_version_is_skipped_for_the_next_one() {
    assertThat(Version.findIn("build 99999999999.1, release 2.7.1")).contains(new Version(2, 7, 1));
    assertThat(Version.findIn("id 99999999999.1")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"3, 3.0.0", "3.11, 3.11.0", "3.11.2, 3.11.2", "v18.19.0, 18.19.0", " 1.2 , 1.2.0", "0, 0.0.0"})
  void parse_accepts_one_to_three_parts_and_counts_missing_parts_as_zero(String text, String expected) {
    assertThat(Version.parse(text)).hasToString(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "1.2.3.4", "1..2", "-1", "1.2-beta", "V1.2"})
  void parse_refuses_what_is_not_a_version_and_names_it(String text) {
    assertThatThrownBy(() -> Version.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("expected");
  }

  @Test
  void versions_compare_part_by_part_numerically() {
    assertThat(Version.parse("3.10")).isGreaterThan(Version.parse("3.9.9"));
    assertThat(Version.parse("10.0")).isGreaterThan(Version.parse("9.99.99"));
    assertThat(Version.parse("1.2")).isEqualByComparingTo(Version.parse("1.2.0"));
    assertThat(Version.parse("1.2")).isEqualTo(Version.parse("v1.2.0"));
  }

  @Test
  void negative_parts_are_refused() {
    assertThatThrownBy(() -> new Version(1, -1, 0)).hasMessageContaining("negative");
  }
}
