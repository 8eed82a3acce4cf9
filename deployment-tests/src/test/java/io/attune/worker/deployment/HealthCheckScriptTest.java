package io.attune.worker.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.testsupport.repository.RepositoryFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/healthcheck.sh, the images' HEALTHCHECK, run by /bin/sh against health files like the ones a worker writes.
 * The images run it too (scripts/test-containers.sh): this covers the cases a running worker cannot show quickly.
 */
class HealthCheckScriptTest {

  private static final Path SCRIPT = RepositoryFiles.root().resolve("docker/healthcheck.sh");

  @TempDir
  Path dir;

  private record Result(int status, String output) {
  }

  private Result check(String content) throws IOException, InterruptedException {
    Path file = dir.resolve("attune-worker.health");
    if (content != null) {
      Files.writeString(file, content);
    }
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", SCRIPT.toString()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/bin:/bin");
    builder.environment().put("ATTUNE_HEALTH_FILE", file.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output.strip());
  }

  private static long now() {
    return Instant.now().getEpochSecond();
  }

  @Test
  void a_heartbeat_younger_than_its_staleness_limit_is_healthy() throws Exception {
    Result result = check((now() - 5) + " 90 worker-python-1\n");

    assertThat(result.status()).as(result.output()).isZero();
    assertThat(result.output()).startsWith("healthy: worker worker-python-1's last heartbeat");
  }

  @Test
  void a_heartbeat_older_than_its_staleness_limit_is_unhealthy_and_says_how_old() throws Exception {
    Result result = check((now() - 600) + " 90 worker-python-1\n");

    assertThat(result.status()).isEqualTo(1);
    assertThat(result.output()).startsWith("unhealthy: worker worker-python-1's last heartbeat reached the database")
        .contains("(stale after 90 s)");
  }

  @Test
  void no_file_means_no_heartbeat_has_reached_the_database() throws Exception {
    Result result = check(null);

    assertThat(result.status()).isEqualTo(1);
    assertThat(result.output()).contains("no heartbeat has reached the database yet");
  }

  @Test
  void a_file_that_is_not_the_workers_format_is_unhealthy() throws Exception {
    for (String garbage : new String[] {"", "yesterday 90 w\n", "123\n", "12 -3 w\n"}) {
      Result result = check(garbage);

      assertThat(result.status()).as("content '%s' -> %s", garbage, result.output()).isEqualTo(1);
      assertThat(result.output()).contains("does not hold");
    }
  }
}
