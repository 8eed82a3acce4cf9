package io.attune.worker.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParsedShapesTest {

  private final List<String> parsed = new ArrayList<>();

  private String parse(String text) {
    parsed.add(text);
    return "shape of " + text;
  }

  @Test
  void identical_text_is_parsed_once() {
    ParsedShapes<String> shapes = new ParsedShapes<>(10);

    assertThat(shapes.get("{\"runtime\":\"shell\"}", this::parse)).isEqualTo("shape of {\"runtime\":\"shell\"}");
    assertThat(shapes.get("{\"runtime\":\"shell\"}", this::parse)).isEqualTo("shape of {\"runtime\":\"shell\"}");
    assertThat(shapes.get("{\"runtime\":\"python\"}", this::parse)).isEqualTo("shape of {\"runtime\":\"python\"}");

    assertThat(parsed).containsExactly("{\"runtime\":\"shell\"}", "{\"runtime\":\"python\"}");
  }

  @Test
  void a_full_cache_forgets_the_least_recently_used_text_and_stays_within_its_capacity() {
    ParsedShapes<String> shapes = new ParsedShapes<>(2);
    shapes.get("a", this::parse);
    shapes.get("b", this::parse);
    shapes.get("a", this::parse); // a is now the more recently used

    shapes.get("c", this::parse); // b goes
    shapes.get("a", this::parse);
    shapes.get("b", this::parse);

    assertThat(shapes.size()).isEqualTo(2);
    assertThat(parsed).containsExactly("a", "b", "c", "b");
  }

  @Test
  void a_text_that_fails_to_parse_is_not_kept() {
    ParsedShapes<String> shapes = new ParsedShapes<>(2);

    assertThatThrownBy(() -> shapes.get("broken", text -> {
      throw new IllegalStateException("requirements: expected a JSON object");
    })).isInstanceOf(IllegalStateException.class);

    assertThat(shapes.size()).isZero();
  }

  @Test
  void a_capacity_below_one_is_refused() {
    assertThatThrownBy(() -> new ParsedShapes<String>(0)).hasMessageContaining("capacity must be at least 1, was 0");
  }
}
