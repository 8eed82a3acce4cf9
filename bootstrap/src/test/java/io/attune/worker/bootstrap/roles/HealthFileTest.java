package io.attune.worker.bootstrap.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthFileTest {

  @TempDir
  Path dir;

  @Test
  void a_stored_heartbeat_is_one_line_of_epoch_seconds_staleness_and_name() throws Exception {
    Path file = dir.resolve("run/attune-worker.health");
    HealthFile health = new HealthFile(Optional.of(file), "worker-python-1", Duration.ofSeconds(90));

    health.heartbeatStored(Instant.ofEpochSecond(1_764_412_345L, 999_000_000));

    assertThat(Files.readString(file)).isEqualTo("1764412345 90 worker-python-1\n");
    try (var left = Files.list(file.getParent())) {
      assertThat(left).as("no temporary file left behind").containsExactly(file);
    }
  }

  @Test
  void a_later_heartbeat_replaces_the_earlier_one_and_remove_deletes_the_file() throws Exception {
    Path file = dir.resolve("attune-worker.health");
    HealthFile health = new HealthFile(Optional.of(file), "w", Duration.ofSeconds(3));

    health.heartbeatStored(Instant.ofEpochSecond(100));
    health.heartbeatStored(Instant.ofEpochSecond(101));
    assertThat(Files.readString(file)).isEqualTo("101 3 w\n");

    health.remove();
    assertThat(file).doesNotExist();
  }

  @Test
  void a_file_that_cannot_be_written_does_not_stop_the_worker() throws Exception {
    Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
    HealthFile health = new HealthFile(Optional.of(notAFolder.resolve("attune-worker.health")), "w",
        Duration.ofSeconds(3));

    assertThatCode(() -> health.heartbeatStored(Instant.ofEpochSecond(1))).doesNotThrowAnyException();
    assertThatCode(health::remove).doesNotThrowAnyException();
  }

  @Test
  void without_a_path_nothing_is_written() throws Exception {
    HealthFile health = new HealthFile(Optional.empty(), "w", Duration.ofSeconds(3));

    health.heartbeatStored(Instant.ofEpochSecond(1));

    try (var left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }
}
