package io.attune.worker.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.WorkerType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file and the environment on top of it, read directly rather than through a command. */
class ConfigLoaderTest {

  @TempDir
  Path dir;

  private Path file(String yaml) throws Exception {
    return Files.writeString(dir.resolve("attune.yaml"), yaml);
  }

  @Test
  void without_file_or_variables_every_setting_has_its_documented_default() {
    AttuneConfig config = new ConfigLoader(Map.of("HOSTNAME", "box-1")).load(Optional.empty());

    assertThat(config.workerName()).isEqualTo("worker-box-1");
    assertThat(config.workerType()).isEqualTo(WorkerType.LOCAL);
    assertThat(config.heartbeatInterval()).hasSeconds(30);
    assertThat(config.shutdownGrace()).hasSeconds(30);
    assertThat(config.probeTimeout()).hasSeconds(2);
    assertThat(config.schedulingTimeout()).hasSeconds(300);
    assertThat(config.dispatchTimeout()).hasSeconds(60);
    assertThat(config.connectWait()).hasSeconds(60);
    assertThat(config.maxAttempts()).isEqualTo(2);
    assertThat(config.maxParametersBytes()).isEqualTo(1024L * 1024);
    assertThat(config.packsDirectory()).isEqualTo(Path.of("packs"));
    assertThat(config.database()).isEmpty();
    assertThat(config.broker()).isEmpty();
    assertThat(config.healthFile()).isEmpty();
    assertThat(config.fleetViewMaxStaleness()).isEqualTo(Duration.ofMillis(200));
    assertThat(config.sweepConcurrency()).isEqualTo(4);
  }

  @Test
  void the_fleet_view_staleness_and_sweep_concurrency_come_from_the_scheduler_section_or_the_environment()
      throws Exception {
    Path yaml = file("scheduler: {fleet_view_max_staleness_ms: 50, sweep_concurrency: 8}\n");

    AttuneConfig fileOnly = new ConfigLoader(Map.of()).load(Optional.of(yaml));
    AttuneConfig overridden = new ConfigLoader(Map.of("ATTUNE_FLEET_VIEW_MAX_STALENESS_MS", "0",
        "ATTUNE_SWEEP_CONCURRENCY", "2")).load(Optional.of(yaml));

    assertThat(fileOnly.fleetViewMaxStaleness()).isEqualTo(Duration.ofMillis(50));
    assertThat(fileOnly.sweepConcurrency()).isEqualTo(8);
    assertThat(overridden.fleetViewMaxStaleness()).isZero();
    assertThat(overridden.sweepConcurrency()).isEqualTo(2);
  }

  @Test
  void a_bad_staleness_or_sweep_concurrency_names_the_setting_and_the_range() throws Exception {
    assertThatThrownBy(() -> new ConfigLoader(Map.of("ATTUNE_FLEET_VIEW_MAX_STALENESS_MS", "-5"))
        .load(Optional.empty()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ATTUNE_FLEET_VIEW_MAX_STALENESS_MS='-5'").hasMessageContaining("0 to 60000");
    assertThatThrownBy(() -> new ConfigLoader(Map.of("ATTUNE_FLEET_VIEW_MAX_STALENESS_MS", "fast"))
        .load(Optional.empty()))
        .hasMessageContaining("ATTUNE_FLEET_VIEW_MAX_STALENESS_MS='fast'").hasMessageContaining("milliseconds");
    assertThatThrownBy(() -> new ConfigLoader(Map.of("ATTUNE_SWEEP_CONCURRENCY", "0")).load(Optional.empty()))
        .hasMessageContaining("ATTUNE_SWEEP_CONCURRENCY='0'").hasMessageContaining("1 to 64");
    Path yaml = file("scheduler: {sweep_concurrency: 1000}\n");
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Optional.of(yaml)))
        .hasMessageContaining(yaml.toString()).hasMessageContaining("scheduler.sweep_concurrency");
  }

  @Test
  void the_environment_wins_over_the_file() throws Exception {
    Path yaml = file("""
        worker: {name: from-file, type: remote, heartbeat_interval_seconds: 10, connect_wait_seconds: 5,
                 health_file: /run/file.health, interpreters: {ml: /opt/ml/bin/python}}
        scheduler: {scheduling_timeout_seconds: 120, dispatch_timeout_seconds: 20, max_attempts: 4,
                    max_parameters_bytes: 4096}
        packs_dir: /srv/packs
        """);

    AttuneConfig fileOnly = new ConfigLoader(Map.of()).load(Optional.of(yaml));
    AttuneConfig overridden = new ConfigLoader(Map.of("ATTUNE_WORKER_NAME", "from-env",
        "ATTUNE_HEARTBEAT_INTERVAL_SECONDS", "3", "ATTUNE_DISPATCH_TIMEOUT_SECONDS", "9",
        "ATTUNE_HEALTH_FILE", "/tmp/env.health")).load(Optional.of(yaml));

    assertThat(fileOnly.workerName()).isEqualTo("from-file");
    assertThat(fileOnly.workerType()).isEqualTo(WorkerType.REMOTE);
    assertThat(fileOnly.heartbeatInterval()).hasSeconds(10);
    assertThat(fileOnly.connectWait()).hasSeconds(5);
    assertThat(fileOnly.schedulingTimeout()).hasSeconds(120);
    assertThat(fileOnly.dispatchTimeout()).hasSeconds(20);
    assertThat(fileOnly.maxAttempts()).isEqualTo(4);
    assertThat(fileOnly.maxParametersBytes()).isEqualTo(4096);
    assertThat(fileOnly.packsDirectory()).isEqualTo(Path.of("/srv/packs"));
    assertThat(fileOnly.interpreters()).containsEntry(RuntimeName.of("ml"), Path.of("/opt/ml/bin/python"));
    assertThat(fileOnly.healthFile()).contains(Path.of("/run/file.health"));
    assertThat(overridden.workerName()).isEqualTo("from-env");
    assertThat(overridden.heartbeatInterval()).hasSeconds(3);
    assertThat(overridden.dispatchTimeout()).isEqualTo(Duration.ofSeconds(9));
    assertThat(overridden.healthFile()).contains(Path.of("/tmp/env.health"));
  }

  @Test
  void an_unknown_key_names_the_file_the_key_and_the_keys_it_knows() throws Exception {
    Path yaml = file("worker: {nmae: typo}\n");

    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Optional.of(yaml)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(yaml.toString()).hasMessageContaining("worker.nmae").hasMessageContaining("unknown key");
  }

  @Test
  void a_worker_name_is_trimmed_wherever_it_comes_from() throws Exception {
    Path yaml = file("worker: {name: \"  from-file\\t \"}\n");

    assertThat(new ConfigLoader(Map.of("ATTUNE_WORKER_NAME", "  w-1 ")).load(Optional.empty()).workerName())
        .isEqualTo("w-1");
    assertThat(new ConfigLoader(Map.of()).load(Optional.of(yaml)).workerName()).isEqualTo("from-file");
  }

  @Test
  void a_worker_name_with_whitespace_or_a_control_character_inside_names_its_source_and_what_is_allowed()
      throws Exception {
    assertThatThrownBy(() -> new ConfigLoader(Map.of("ATTUNE_WORKER_NAME", " w 1 ")).load(Optional.empty()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("environment: ATTUNE_WORKER_NAME=' w 1 ': whitespace or a control character")
        .hasMessageContaining("expected 1-200 letters, digits");
    assertThatThrownBy(() -> new ConfigLoader(Map.of("ATTUNE_WORKER_NAME", "w\u00071")).load(Optional.empty()))
        .hasMessageContaining("ATTUNE_WORKER_NAME='w\\u00071'").hasMessageContaining("control character");
    Path yaml = file("worker: {name: \"w\\t1\"}\n");
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Optional.of(yaml)))
        .hasMessageStartingWith(yaml + ": worker.name='w\\u00091'").hasMessageContaining("whitespace");
    assertThatThrownBy(() -> new ConfigLoader(Map.of("ATTUNE_WORKER_NAME", "w/1")).load(Optional.empty()))
        .hasMessageContaining("ATTUNE_WORKER_NAME='w/1'").hasMessageContaining("expected 1-200 letters");
    assertThatThrownBy(() -> new ConfigLoader(Map.of("ATTUNE_WORKER_NAME", "   ")).load(Optional.empty()))
        .hasMessageContaining("ATTUNE_WORKER_NAME='   '").hasMessageContaining("expected 1-200 letters");
  }

  @Test
  void a_bad_variable_names_the_variable_and_what_was_expected() {
    assertThatThrownBy(() -> new ConfigLoader(Map.of("ATTUNE_WORKER_TYPE", "cloud")).load(Optional.empty()))
        .hasMessageContaining("ATTUNE_WORKER_TYPE").hasMessageContaining("expected local, container or remote");
    assertThatThrownBy(() -> new ConfigLoader(Map.of("ATTUNE_CONNECT_WAIT_SECONDS", "-1")).load(Optional.empty()))
        .hasMessageContaining("ATTUNE_CONNECT_WAIT_SECONDS='-1'").hasMessageContaining("positive number of seconds");
    assertThatThrownBy(() -> new ConfigLoader(Map.of("ATTUNE_DATABASE_URL", "postgres://db/attune"))
        .load(Optional.empty()))
        .hasMessageContaining("ATTUNE_DATABASE_URL").hasMessageContaining("jdbc:postgresql://host:port/database");
  }

  @Test
  void a_syntax_error_names_the_line_and_a_missing_file_says_so() throws Exception {
    Path broken = file("worker:\n  name: [unclosed\n");

    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Optional.of(broken)))
        .hasMessageContaining(broken.toString()).hasMessageContaining("line");
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Optional.of(dir.resolve("absent.yaml"))))
        .hasMessageContaining("absent.yaml").hasMessageContaining("does not exist");
  }
}
