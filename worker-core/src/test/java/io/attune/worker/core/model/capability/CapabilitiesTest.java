package io.attune.worker.core.model.capability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {

  private static final Capabilities PYTHON_WORKER = Capabilities.builder()
      .runtime(RuntimeName.PYTHON, Version.parse("3.11.2")).runtime(RuntimeName.SHELL)
      .maxConcurrentExecutions(4).label("zone", "east").build();

  @Test
  void runtimes_are_canonical_sorted_and_free_of_duplicates() {
    Capabilities caps = Capabilities.builder().runtimes(List.of(RuntimeName.of("python3"), RuntimeName.SHELL,
        RuntimeName.PYTHON)).build();

    assertThat(caps.runtimes()).containsExactly(RuntimeName.PYTHON, RuntimeName.SHELL);
  }

  @Test
  void what_it_hands_out_cannot_be_changed() {
    assertThatThrownBy(() -> PYTHON_WORKER.runtimes().add(RuntimeName.NODE))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> PYTHON_WORKER.labels().put("zone", "west"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void to_builder_keeps_every_field_so_an_embedder_changes_only_the_one_it_means_to() {
    // kept for embedders (docs/embedding.md): a worker that adds a label keeps its runtimes and versions
    Capabilities relabelled = PYTHON_WORKER.toBuilder().label("disk", "ssd").build();

    assertThat(relabelled.labels()).isEqualTo(Map.of("zone", "east", "disk", "ssd"));
    assertThat(relabelled.runtimes()).isEqualTo(PYTHON_WORKER.runtimes());
    assertThat(relabelled.versionsOf(RuntimeName.PYTHON)).containsExactly(Version.parse("3.11.2"));
    assertThat(relabelled.maxConcurrentExecutions()).isEqualTo(4);
    assertThat(PYTHON_WORKER.toBuilder().build()).isEqualTo(PYTHON_WORKER);
  }
}
