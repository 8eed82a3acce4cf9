package io.attune.worker.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.attune.worker.testsupport.repository.ComposeFile;
import io.attune.worker.testsupport.repository.RepositoryFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The commented {@code worker-gpu} service of {@code docker-compose.yaml}, uncommented as an operator would: it is
 * valid, reserves the host's NVIDIA GPUs the standard way, and connects like the python worker it is built on.
 */
class GpuComposeServiceTest {

  private static final Path COMPOSE = RepositoryFiles.root().resolve("docker-compose.yaml");

  /** The commented block from {@code # worker-gpu:} to the first line that is not a comment, uncommented. */
  private static ComposeFile.Service uncommented() throws IOException {
    List<String> block = new ArrayList<>();
    boolean in = false;
    for (String line : Files.readAllLines(COMPOSE)) {
      if (line.equals("  # worker-gpu:")) {
        in = true;
      } else if (in && !line.startsWith("  #")) {
        break;
      }
      if (in) {
        block.add("  " + line.substring("  # ".length()));
      }
    }
    assertThat(block).as("a commented worker-gpu service in %s", COMPOSE).isNotEmpty();
    return ComposeFile.parse(COMPOSE, "services:\n" + String.join("\n", block) + "\n").service("worker-gpu");
  }

  @Test
  void the_uncommented_service_reserves_every_nvidia_gpu_of_the_host() throws IOException {
    JsonNode devices = uncommented().node().path("deploy").path("resources").path("reservations").path("devices");

    assertThat(devices.size()).isEqualTo(1);
    assertThat(devices.get(0).path("driver").asText()).isEqualTo("nvidia");
    assertThat(devices.get(0).path("count").asText()).isEqualTo("all");
    assertThat(devices.get(0).path("capabilities").get(0).asText()).isEqualTo("gpu");
  }

  @Test
  void it_runs_the_python_image_and_connects_like_the_python_worker() throws IOException {
    ComposeFile.Service gpu = uncommented();
    ComposeFile.Service python = ComposeFile.load().service("worker-python");

    assertThat(gpu.image()).contains("attune-worker:python");
    Map<String, String> env = gpu.environment();
    assertThat(env).containsEntry("NVIDIA_DRIVER_CAPABILITIES", "compute,utility")
        .containsEntry("ATTUNE_WORKER_RUNTIMES", "shell,python");
    for (String key : List.of("ATTUNE_DATABASE_URL", "ATTUNE_DATABASE_USER", "ATTUNE_DATABASE_PASSWORD",
        "ATTUNE_MQ_URL", "ATTUNE_MQ_USER", "ATTUNE_MQ_PASSWORD", "ATTUNE_PACKS_DIR")) {
      assertThat(env.get(key)).as(key).isEqualTo(python.environment().get(key));
    }
    assertThat(gpu.dependsOn()).isEqualTo(python.dependsOn());
  }
}
