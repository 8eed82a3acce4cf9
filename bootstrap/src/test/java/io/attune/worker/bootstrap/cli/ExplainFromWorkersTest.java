package io.attune.worker.bootstrap.cli;

import static io.attune.worker.core.testkit.WorkerFixture.aWorker;
import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.bootstrap.output.Json;
import io.attune.worker.core.model.worker.WorkerTree;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code workers --json | attune-worker explain --workers - --action FILE}: the one's output is the other's input.
 * Here without a database, on what the shared codec writes; {@link ExplainRegisteredWorkersIT} pipes the real
 * output of {@code workers --json} from PostgreSQL.
 */
class ExplainFromWorkersTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");
  private static final String ACTION = Path.of("../docs/examples/action-python.json").toAbsolutePath().normalize()
      .toString();

  @Test
  void the_json_of_workers_read_from_standard_input_is_explained() {
    // exactly what WorkersCommand prints: the same codec
    String workersJson = Json.write(List.of(
        WorkerTree.toTree(aWorker("w-shell").runtimes("shell").heartbeatAgo(Duration.ofSeconds(3)).build(NOW), NOW),
        WorkerTree.toTree(aWorker("w-python").runtime("python", "3.11.2").runtimes("shell")
            .heartbeatAgo(Duration.ofSeconds(3)).build(NOW), NOW)));

    CliRun run = CliRun.withInput(workersJson, Map.of(), "explain", "--workers", "-", "--action", ACTION, "--now",
        NOW.toString(), "--json");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("\"outcome\" : \"selected\"").contains("\"selected\" : \"w-python\"")
        .contains("runtime_missing");
  }

  @Test
  void standard_input_that_is_not_an_array_of_workers_is_refused_naming_it() {
    CliRun run = CliRun.withInput("{\"name\": \"w\"}", Map.of(), "explain", "--workers", "-", "--action", ACTION);

    assertThat(run.status()).isEqualTo(AttuneCommand.BAD_INPUT);
    assertThat(run.err()).contains("standard input").contains("expected a JSON array of workers");
  }
}
