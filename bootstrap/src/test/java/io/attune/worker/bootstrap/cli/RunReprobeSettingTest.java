package io.attune.worker.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code run} refuses a bad re-probe interval before it connects to anything. */
class RunReprobeSettingTest {

  @Test
  void a_bad_reprobe_interval_is_exit_2_naming_the_variable_and_what_is_expected() {
    CliRun run = CliRun.of(Map.of("ATTUNE_REPROBE_SECONDS", "soon"), "run");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("ATTUNE_REPROBE_SECONDS='soon'")
        .contains("expected a number of seconds from 0 (never re-probe) to 86400");
  }
}
