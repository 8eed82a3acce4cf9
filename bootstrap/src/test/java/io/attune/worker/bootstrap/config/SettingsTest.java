package io.attune.worker.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The registry of settings: one declaration each, and the file keys and secret files the loader knew before it. */
class SettingsTest {

  @Test
  void every_variable_key_and_label_is_declared_once() {
    List<String> variables = Settings.ALL.stream().flatMap(s -> s.variable().stream()).toList();
    List<String> keys = Settings.ALL.stream().flatMap(s -> s.key().stream()).toList();
    List<String> labels = Settings.ALL.stream().map(Setting::label).toList();

    assertThat(variables).doesNotHaveDuplicates().allMatch(v -> v.matches("ATTUNE_[A-Z0-9_]+"));
    assertThat(keys).doesNotHaveDuplicates();
    assertThat(labels).doesNotHaveDuplicates();
  }

  @Test
  void the_files_sections_allow_the_keys_they_always_did() {
    assertThat(Settings.keysOf("")).isEqualTo(Set.of("worker", "database", "mq", "packs_dir", "scheduler"));
    assertThat(Settings.keysOf("worker")).isEqualTo(Set.of("name", "type", "heartbeat_interval_seconds",
        "shutdown_grace_seconds", "probe_timeout_seconds", "output_cap_bytes", "capabilities", "interpreters",
        "health_file", "connect_wait_seconds", "packs", "reprobe_seconds", "name_wait_seconds"));
    assertThat(Settings.keysOf("database")).isEqualTo(Set.of("url", "user", "password"));
    assertThat(Settings.keysOf("mq")).isEqualTo(Set.of("url", "user", "password", "max_message_bytes"));
    assertThat(Settings.keysOf("scheduler")).isEqualTo(Set.of("scheduling_timeout_seconds",
        "dispatch_timeout_seconds", "max_attempts", "max_redeliveries", "max_parameters_bytes",
        "fleet_view_max_staleness_ms", "sweep_concurrency"));
  }

  @Test
  void the_secrets_that_may_come_from_files_are_the_credentials_and_urls_as_before() {
    assertThat(SecretFiles.VARIABLES).containsExactly("ATTUNE_DATABASE_URL", "ATTUNE_DATABASE_USER",
        "ATTUNE_DATABASE_PASSWORD", "ATTUNE_MQ_URL", "ATTUNE_MQ_USER", "ATTUNE_MQ_PASSWORD",
        "ATTUNE_APP_DATABASE_PASSWORD", "ATTUNE_INIT_USER_PASSWORD");
  }

  @Test
  void the_loader_takes_every_number_default_from_the_registry() {
    AttuneConfig config = new ConfigLoader(Map.of()).load(Optional.empty());

    assertThat(config.heartbeatInterval().toSeconds()).isEqualTo(defaultOf(Settings.HEARTBEAT_INTERVAL));
    assertThat(config.outputCapBytes()).isEqualTo(defaultOf(Settings.OUTPUT_CAP));
    assertThat(config.attemptLimits().maxRedeliveries()).isEqualTo(defaultOf(Settings.MAX_REDELIVERIES));
    assertThat(config.workerNameWait().toSeconds()).isEqualTo(defaultOf(Settings.WORKER_NAME_WAIT));
    assertThat(config.reprobeInterval().toSeconds()).isEqualTo(defaultOf(Settings.REPROBE));
    assertThat(config.packsDirectory()).hasToString(Settings.PACKS_DIR.defaultValue());
    assertThat(config.workerType().toString()).isEqualToIgnoringCase(Settings.WORKER_TYPE.defaultValue());
  }

  @Test
  void a_number_in_the_environment_may_exceed_the_files_range_where_it_always_could() {
    AttuneConfig config = new ConfigLoader(Map.of("ATTUNE_SHUTDOWN_GRACE_SECONDS", "100000"))
        .load(Optional.empty());

    assertThat(config.shutdownGrace()).hasSeconds(100_000);
  }

  private static long defaultOf(Setting setting) {
    return setting.whole().orElseThrow().defaultValue();
  }
}
