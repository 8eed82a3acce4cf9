package io.attune.worker.core.model.capability;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilityChangeTest {

  private static final RuntimeName NODE = RuntimeName.of("node");
  private static final RuntimeName RUBY = RuntimeName.of("ruby");

  private static Capabilities.Builder base() {
    return Capabilities.builder().runtime(RuntimeName.SHELL).runtime(RuntimeName.NATIVE)
        .runtime(RuntimeName.PYTHON, Version.parse("3.11.2"));
  }

  @Test
  void the_same_runtimes_and_versions_are_no_change_whatever_else_differs() {
    Capabilities before = base().label("zone", "east").build();
    Capabilities after = base().maxConcurrentExecutions(3).build();

    CapabilityChange change = CapabilityChange.between(before, after);

    assertThat(change.isEmpty()).isTrue();
    assertThat(change).isEqualTo(CapabilityChange.none());
    assertThat(change.describe()).isEqualTo("no change");
  }

  @Test
  void a_runtime_that_went_away_is_listed_with_the_versions_it_had() {
    Capabilities before = base().runtime(NODE, Version.parse("20.1.0")).build();

    CapabilityChange change = CapabilityChange.between(before, base().build());

    assertThat(change.disappeared()).containsOnlyKeys(NODE);
    assertThat(change.disappeared().get(NODE)).containsExactly(Version.parse("20.1.0"));
    assertThat(change.appeared()).isEmpty();
    assertThat(change.versionChanges()).isEmpty();
    assertThat(change.describe()).isEqualTo("went away: node 20.1.0");
  }

  @Test
  void a_runtime_that_appeared_is_listed_with_its_versions() {
    Capabilities after = base().runtime(RUBY, Version.parse("3.2.2")).build();

    CapabilityChange change = CapabilityChange.between(base().build(), after);

    assertThat(change.appeared()).containsOnlyKeys(RUBY);
    assertThat(change.disappeared()).isEmpty();
    assertThat(change.describe()).isEqualTo("appeared: ruby 3.2.2");
  }

  @Test
  void a_new_version_of_a_runtime_offered_both_times_is_a_version_change_not_an_appearance() {
    Capabilities after = Capabilities.builder().runtime(RuntimeName.SHELL).runtime(RuntimeName.NATIVE)
        .runtime(RuntimeName.PYTHON, Version.parse("3.12.1")).build();

    CapabilityChange change = CapabilityChange.between(base().build(), after);

    assertThat(change.appeared()).isEmpty();
    assertThat(change.disappeared()).isEmpty();
    assertThat(change.versionChanges()).containsOnlyKeys(RuntimeName.PYTHON);
    assertThat(change.versionChanges().get(RuntimeName.PYTHON).before()).containsExactly(Version.parse("3.11.2"));
    assertThat(change.versionChanges().get(RuntimeName.PYTHON).after()).containsExactly(Version.parse("3.12.1"));
    assertThat(change.describe()).isEqualTo("changed: python 3.11.2 -> 3.12.1");
  }

  @Test
  void several_changes_at_once_are_described_in_one_line_appeared_then_gone_then_changed() {
    Capabilities before = base().runtime(NODE, Version.parse("20.1.0")).build();
    Capabilities after = Capabilities.builder().runtime(RuntimeName.SHELL).runtime(RuntimeName.NATIVE)
        .runtime(RuntimeName.PYTHON).runtime(RUBY, Version.parse("3.2.2")).runtime(RuntimeName.GO).build();

    CapabilityChange change = CapabilityChange.between(before, after);

    assertThat(change.describe()).isEqualTo(
        "appeared: go, ruby 3.2.2; went away: node 20.1.0; changed: python 3.11.2 -> (no version)");
  }

  @Test
  void the_maps_handed_out_are_sorted_by_runtime_and_cannot_be_changed() {
    CapabilityChange change = CapabilityChange.between(base().build(),
        base().runtime(RUBY).runtime(NODE).build());

    assertThat(List.copyOf(change.appeared().keySet())).containsExactly(NODE, RUBY);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> change.appeared().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
