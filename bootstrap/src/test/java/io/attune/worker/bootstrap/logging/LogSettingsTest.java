package io.attune.worker.bootstrap.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.error.ConfigurationException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LogSettingsTest {

  @Test
  void nothing_set_means_text_at_info_on_standard_error_only() {
    LogSettings settings = LogSettings.from(Map.of(), Optional.empty());

    assertThat(settings.format()).isEqualTo(LogFormat.TEXT);
    assertThat(settings.level()).isEqualTo("info");
    assertThat(settings.file()).isEmpty();
    assertThat(settings.maxFileSize()).isEqualTo(10L * 1024 * 1024);
    assertThat(settings.maxFiles()).isEqualTo(5);
  }

  @Test
  void every_variable_is_read() {
    LogSettings settings = LogSettings.from(Map.of("ATTUNE_LOG_FORMAT", "json", "ATTUNE_LOG_LEVEL", "DEBUG",
        "ATTUNE_LOG_DIR", "/var/log/attune", "HOSTNAME", "pod/1", "ATTUNE_LOG_MAX_FILE_SIZE", "50MB",
        "ATTUNE_LOG_MAX_FILES", "3"), Optional.empty());

    assertThat(settings.format()).isEqualTo(LogFormat.JSON);
    assertThat(settings.level()).isEqualTo("debug");
    assertThat(settings.file()).contains(Path.of("/var/log/attune/attune-worker-pod_1.log"));
    assertThat(settings.maxFileSize()).isEqualTo(50L * 1024 * 1024);
    assertThat(settings.maxFiles()).isEqualTo(3);
  }

  @Test
  void the_level_property_of_tests_and_benchmarks_wins_over_the_variable() {
    assertThat(LogSettings.from(Map.of("ATTUNE_LOG_LEVEL", "debug"), Optional.of("warn")).level()).isEqualTo("warn");
  }

  @Test
  void a_bad_value_names_the_variable_and_the_values_it_takes() {
    assertThatThrownBy(() -> LogSettings.from(Map.of("ATTUNE_LOG_FORMAT", "xml"), Optional.empty()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("environment: ATTUNE_LOG_FORMAT='xml': expected text or json");
    assertThatThrownBy(() -> LogSettings.from(Map.of("ATTUNE_LOG_LEVEL", "loud"), Optional.empty()))
        .hasMessageContaining("ATTUNE_LOG_LEVEL='loud'").hasMessageContaining("trace, debug, info, warn, error");
    assertThatThrownBy(() -> LogSettings.from(Map.of(), Optional.of("loud")))
        .hasMessageContaining("-Dattune.log.level='loud'");
    assertThatThrownBy(() -> LogSettings.from(Map.of("ATTUNE_LOG_MAX_FILE_SIZE", "big"), Optional.empty()))
        .hasMessageContaining("ATTUNE_LOG_MAX_FILE_SIZE='big'").hasMessageContaining("e.g. 10MB");
    assertThatThrownBy(() -> LogSettings.from(Map.of("ATTUNE_LOG_MAX_FILE_SIZE", "10"), Optional.empty()))
        .hasMessageContaining("at least 1KB");
    assertThatThrownBy(() -> LogSettings.from(Map.of("ATTUNE_LOG_MAX_FILES", "1"), Optional.empty()))
        .hasMessageContaining("ATTUNE_LOG_MAX_FILES='1'").hasMessageContaining("from 2 to 21");
  }
}
