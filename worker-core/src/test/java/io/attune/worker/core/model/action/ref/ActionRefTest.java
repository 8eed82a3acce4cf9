package io.attune.worker.core.model.action.ref;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ActionRefTest {

  @Test
  void a_reference_splits_at_its_first_dot_and_prints_as_it_was_written() {
    ActionRef ref = ActionRef.parse("demo.hello.v2");

    assertThat(ref.pack()).isEqualTo("demo");
    assertThat(ref.name()).isEqualTo("hello.v2");
    assertThat(ref).hasToString("demo.hello.v2").isEqualTo(new ActionRef("demo", "hello.v2"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"hello", ".hello", "demo.", "", "de mo.hello", "demo.hel/lo", "a/b.c", "demo.hello world"})
  void a_text_not_of_the_form_is_refused_naming_it_and_the_form(String text) {
    assertThatThrownBy(() -> ActionRef.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("<pack>.<name>");
    assertThat(ActionRef.tryParse(text)).isEmpty();
  }

  @Test
  void the_parts_are_checked_when_built_directly() {
    assertThatThrownBy(() -> new ActionRef("my.pack", "hello"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'my.pack.hello'");
  }

  @Test
  void references_sort_as_their_text() {
    TreeSet<ActionRef> sorted = new TreeSet<>(List.of(ActionRef.parse("net.ping"), ActionRef.parse("demo.b"),
        ActionRef.parse("demo-x.a"), ActionRef.parse("demo.a")));

    assertThat(sorted).extracting(ActionRef::toString).containsExactly("demo-x.a", "demo.a", "demo.b", "net.ping");
  }
}
