package io.attune.worker.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.bootstrap.cli.CliRun;
import io.attune.worker.core.error.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {

  @TempDir
  Path dir;

  @Test
  void a_secret_file_stands_for_its_variable_without_the_trailing_line_break_and_wins_over_it() throws Exception {
    Path password = Files.writeString(dir.resolve("db-password"), "s3cr:et@/%\n");

    Map<String, String> resolved = SecretFiles.resolve(Map.of("ATTUNE_DATABASE_PASSWORD", "from-the-environment",
        "ATTUNE_DATABASE_PASSWORD_FILE", password.toString(), "ATTUNE_HEALTH_FILE", "/tmp/health"));

    assertThat(resolved).containsEntry("ATTUNE_DATABASE_PASSWORD", "s3cr:et@/%")
        .containsEntry("ATTUNE_HEALTH_FILE", "/tmp/health").doesNotContainKey("ATTUNE_HEALTH");
  }

  @Test
  void every_credential_variable_can_come_from_a_file() throws Exception {
    Map<String, String> environment = new java.util.HashMap<>();
    for (String variable : SecretFiles.VARIABLES) {
      environment.put(variable + "_FILE", Files.writeString(dir.resolve(variable), "value of " + variable)
          .toString());
    }

    Map<String, String> resolved = SecretFiles.resolve(environment);

    SecretFiles.VARIABLES.forEach(v -> assertThat(resolved).containsEntry(v, "value of " + v));
  }

  @Test
  void a_secret_file_that_cannot_be_read_names_the_variable_and_the_file() {
    Path missing = dir.resolve("nope");

    assertThatThrownBy(() -> SecretFiles.resolve(Map.of("ATTUNE_MQ_PASSWORD_FILE", missing.toString())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ATTUNE_MQ_PASSWORD_FILE=" + missing).hasMessageContaining("a readable file");
  }

  @Test
  void a_command_given_an_unreadable_secret_file_exits_2_naming_it() {
    CliRun run = CliRun.of(Map.of("ATTUNE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/attune",
        "ATTUNE_DATABASE_PASSWORD_FILE", dir.resolve("nope").toString()), "workers");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("ATTUNE_DATABASE_PASSWORD_FILE=").contains("nope");
  }
}
