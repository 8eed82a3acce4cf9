package io.attune.worker.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.error.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The re-probe interval: {@code ATTUNE_REPROBE_SECONDS} over {@code worker.reprobe_seconds}, 300 s by default. */
class ConfigLoaderReprobeTest {

  @TempDir
  Path dir;

  @Test
  void by_default_a_worker_re_probes_every_five_minutes() {
    assertThat(new ConfigLoader(Map.of()).load(Optional.empty()).reprobeInterval())
        .isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void the_file_sets_it_the_environment_wins_and_zero_means_never() throws Exception {
    Path yaml = Files.writeString(dir.resolve("attune.yaml"), "worker: {reprobe_seconds: 60}\n");

    assertThat(new ConfigLoader(Map.of()).load(Optional.of(yaml)).reprobeInterval()).hasSeconds(60);
    assertThat(new ConfigLoader(Map.of("ATTUNE_REPROBE_SECONDS", "0")).load(Optional.of(yaml)).reprobeInterval())
        .isZero();
  }

  @Test
  void a_bad_value_names_the_variable_and_what_is_expected() throws Exception {
    for (String bad : new String[] {"soon", "-1", "86401", "1.5"}) {
      assertThatThrownBy(() -> new ConfigLoader(Map.of("ATTUNE_REPROBE_SECONDS", bad)).load(Optional.empty()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("ATTUNE_REPROBE_SECONDS='" + bad + "'")
          .hasMessageContaining("seconds from 0 (never re-probe) to 86400");
    }
    Path yaml = Files.writeString(dir.resolve("bad.yaml"), "worker: {reprobe_seconds: -3}\n");
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Optional.of(yaml)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(yaml.toString()).hasMessageContaining("worker.reprobe_seconds");
  }
}
