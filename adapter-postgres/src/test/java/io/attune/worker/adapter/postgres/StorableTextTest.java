package io.attune.worker.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorableTextTest {

  @Test
  void text_without_nul_is_returned_as_it_is_and_notes_nothing() {
    StorableText storable = new StorableText();
    String plain = "héllo\n\u2603";

    assertThat(storable.text(plain)).isSameAs(plain);
    assertThat(storable.text(null)).isNull();
    assertThat(storable.note()).isEmpty();
  }

  @Test
  void every_nul_in_texts_keys_and_nested_strings_is_replaced_and_counted() {
    StorableText storable = new StorableText();

    assertThat(storable.text("\0a\0")).isEqualTo("\uFFFDa\uFFFD");
    Object tree = storable.tree(Map.of("k\0", Arrays.asList("v\0", 1, true, null, Map.of("deep", "\0"))));

    assertThat(tree).isEqualTo(Map.of("k\uFFFD", Arrays.asList("v\uFFFD", 1, true, null, Map.of("deep", "\uFFFD"))));
    assertThat(storable.replaced()).isEqualTo(5);
    assertThat(storable.note()).isEqualTo(" [5 NUL characters replaced by U+FFFD: PostgreSQL cannot store them]");
  }

  @Test
  void one_replacement_is_said_in_the_singular() {
    StorableText storable = new StorableText();
    storable.tree(List.of("\0"));

    assertThat(storable.note()).contains("1 NUL character replaced");
  }
}
