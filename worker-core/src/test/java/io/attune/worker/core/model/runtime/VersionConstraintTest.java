package io.attune.worker.core.model.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionConstraintTest {

  private static boolean holds(String constraint, String version) {
    return VersionConstraint.parse(constraint).isSatisfiedBy(Version.parse(version));
  }

  @ParameterizedTest(name = "{0} with {1}: {2}")
  @CsvSource({
      // >= and >
      "'>=3.8', 3.8.0, true", "'>=3.8', 3.7.99, false", "'>=3.8', 3.8.1, true",
      "'>3.8', 3.8.0, false", "'>3.8', 3.8.1, true", "'>3.8', 3.7.0, false",
      // <= and <
      "'<=3.8', 3.8.0, true", "'<=3.8', 3.8.1, false", "'<=3.8', 3.7.0, true",
      "'<4', 3.99.99, true", "'<4', 4.0.0, false", "'<4', 4.0.1, false",
      // = and ==
      "'=3.11.2', 3.11.2, true", "'=3.11.2', 3.11.3, false", "'==3.11', 3.11.0, true", "'==3.11', 3.11.1, false",
      // ~ with two parts: at least 1.2.0, below 1.3.0
      "'~1.2', 1.2.0, true", "'~1.2', 1.2.99, true", "'~1.2', 1.3.0, false", "'~1.2', 1.1.9, false",
      // ~ with one part: below the next major
      "'~1', 1.0.0, true", "'~1', 1.99.0, true", "'~1', 2.0.0, false", "'~1', 0.9.9, false",
      // ~ with three parts keeps the minor
      "'~1.2.3', 1.2.3, true", "'~1.2.3', 1.2.9, true", "'~1.2.3', 1.3.0, false", "'~1.2.3', 1.2.2, false",
      // ^: at least the bound, below the next major
      "'^1.2', 1.2.0, true", "'^1.2', 1.99.0, true", "'^1.2', 2.0.0, false", "'^1.2', 1.1.9, false",
      "'^18', 18.0.0, true", "'^18', 19.0.0, false",
      // a bare version means ~
      "'3.11', 3.11.7, true", "'3.11', 3.12.0, false", "'3', 3.12.0, true", "'3', 4.0.0, false",
      // leading v and spaces
      "'>=v3.8', 3.8.0, true", "'>= 3.8', 3.7.0, false", "'v18', 18.2.0, true",
      // missing parts count as 0
      "'=3', 3.0.0, true", "'>3', 3.0.1, true", "'<3.1', 3.0.9, true",
      // conjunctions
      "'>=3.8,<4', 3.8.0, true", "'>=3.8,<4', 4.0.0, false", "'>=3.8,<4', 3.7.0, false",
      "'>=3.8, <3.12, >3.9', 3.10.0, true", "'>=3.8, <3.12, >3.9', 3.9.0, false",
      // * and empty
      "'*', 0.0.0, true", "'*', 99.1.2, true", "'', 1.0.0, true", "'   ', 1.0.0, true", "'>=1,*', 1.0.0, true"})
  void every_operator_holds_exactly_within_its_boundaries(String constraint, String version, boolean expected) {
    assertThat(holds(constraint, version)).isEqualTo(expected);
  }

  @Test
  void star_and_empty_are_any() {
    assertThat(VersionConstraint.parse("*").isAny()).isTrue();
    assertThat(VersionConstraint.parse("").isAny()).isTrue();
    assertThat(VersionConstraint.parse(null).isAny()).isTrue();
    assertThat(VersionConstraint.any()).isEqualTo(VersionConstraint.parse(" * "));
    assertThat(VersionConstraint.parse(">=1").isAny()).isFalse();
  }

  @Test
  void a_constraint_prints_as_written() {
    assertThat(VersionConstraint.parse(" >=3.8,<4 ")).hasToString(">=3.8,<4");
    assertThat(VersionConstraint.any()).hasToString("*");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      >=three        | '>=three'
      >=3.8,<4,!5    | '!5'
      >=3.8,         | ''
      =>3            | '=>3'
      ~>1.2          | '~>1.2'
      1.2.3.4        | '1.2.3.4'
      >=3.8 <4       | '>=3.8 <4'
      """)
  void a_clause_that_is_not_understood_is_named_in_the_error(String constraint, String namedClause) {
    assertThatThrownBy(() -> VersionConstraint.parse(constraint))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(namedClause + " in version constraint '" + constraint.trim() + "'")
        .hasMessageContaining("expected");
  }

  @ParameterizedTest
  @ValueSource(strings = {">=", "^", "~"})
  void an_operator_without_a_version_is_refused(String constraint) {
    assertThatThrownBy(() -> VersionConstraint.parse(constraint)).hasMessageContaining("'" + constraint + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"^2147483647", "~2147483647", "~1.2147483647", ">=99999999999"})
  void a_bound_beyond_the_version_range_is_refused_when_parsed_naming_the_clause(String constraint) {
    assertThatThrownBy(() -> VersionConstraint.parse(">=1, " + constraint))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("'" + constraint + "' in version constraint '>=1, " + constraint + "' is out of range");
  }

  @Test
  void the_largest_bounds_that_have_a_successor_still_work() {
    assertThat(holds("^2147483646", "2147483646.5.0")).isTrue();
    assertThat(holds(">=2147483647", "2147483647.0.0")).isTrue();
  }

  /** A property over many random versions and bounds, from a fixed seed so a failure can be replayed. */
  @Test
  void every_operator_agrees_with_comparing_versions_for_random_cases() {
    Random random = new Random(20260101L);
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      Version v = randomVersion(random);
      Version b = randomVersion(random);
      int c = v.compareTo(b);
      boolean sameMajor = v.major() == b.major();
      boolean sameMinor = sameMajor && v.minor() == b.minor();
      Map<String, Boolean> expected = new LinkedHashMap<>();
      expected.put(">=" + b, c >= 0);
      expected.put(">" + b, c > 0);
      expected.put("<=" + b, c <= 0);
      expected.put("<" + b, c < 0);
      expected.put("=" + b, c == 0);
      expected.put("==" + b, c == 0);
      expected.put("^" + b, c >= 0 && sameMajor);
      expected.put("~" + b, c >= 0 && sameMinor);
      expected.put("~" + b.major(), sameMajor);
      expected.put(b.major() + "." + b.minor(), sameMinor);
      expected.forEach((constraint, holds) -> {
        if (VersionConstraint.parse(constraint).isSatisfiedBy(v) != holds) {
          wrong.add(constraint + " with " + v + " should be " + holds);
        }
      });
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void a_conjunction_holds_exactly_when_each_of_its_clauses_holds_for_random_cases() {
    Random random = new Random(42L);
    String[] operators = {">=", ">", "<=", "<", "=", "~", "^", ""};
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      String left = operators[random.nextInt(operators.length)] + randomVersion(random);
      String right = operators[random.nextInt(operators.length)] + randomVersion(random);
      String v = randomVersion(random).toString();
      if (holds(left + ", " + right, v) != (holds(left, v) && holds(right, v))) {
        wrong.add(left + ", " + right + " with " + v);
      }
    }
    assertThat(wrong).isEmpty();
  }

  /** Small parts, so that random versions often share a major or minor and the boundaries are exercised. */
  private static Version randomVersion(Random random) {
    return new Version(random.nextInt(4), random.nextInt(4), random.nextInt(4));
  }
}
