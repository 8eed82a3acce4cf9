package io.attune.worker.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.bootstrap.output.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code explain --previous-worker} on docs/examples: the action of action-sticky.json prefers its previous worker. */
class ExplainPreviousWorkerTest {

  private static final String WORKERS = "../docs/examples/workers.json";
  private static final String STICKY = "../docs/examples/action-sticky.json";
  private static final String NOW = "2026-01-01T00:00:30Z";

  @Test
  void without_a_previous_worker_the_least_loaded_shell_worker_is_selected() {
    CliRun run = CliRun.of(Map.of(), "explain", "--workers", WORKERS, "--action", STICKY, "--now", NOW, "--json");

    assertThat(run.status()).as(run.err()).isZero();
    Map<String, Object> report = object(run.out());
    assertThat(report.get("selected")).isEqualTo("worker-old-python");
    assertThat(workers(report)).allSatisfy(w -> assertThat(w).doesNotContainKey("previous_worker"));
  }

  @Test
  void the_previous_worker_is_selected_over_idle_ones_and_its_entry_says_so_with_the_weight_in_its_score() {
    CliRun run = CliRun.of(Map.of(), "explain", "--workers", WORKERS, "--action", STICKY, "--now", NOW, "--json",
        "--previous-worker", "worker-python");

    assertThat(run.status()).as(run.err()).isZero();
    Map<String, Object> report = object(run.out());
    assertThat(report.get("selected")).isEqualTo("worker-python");
    Map<String, Object> previous = entry(report, "worker-python");
    assertThat(previous).containsEntry("previous_worker", true).containsEntry("score", 100)
        .containsEntry("eligible", true);
    assertThat(entry(report, "worker-old-python")).containsEntry("score", 0).doesNotContainKey("previous_worker");
  }

  @Test
  void a_stale_previous_worker_is_marked_but_not_selected() {
    CliRun run = CliRun.of(Map.of(), "explain", "--workers", WORKERS, "--action", STICKY, "--now", NOW, "--json",
        "--previous-worker", "worker-stale");

    assertThat(run.status()).as(run.err()).isZero();
    Map<String, Object> report = object(run.out());
    assertThat(report.get("selected")).isEqualTo("worker-old-python");
    assertThat(entry(report, "worker-stale")).containsEntry("previous_worker", true).containsEntry("eligible", false);
  }

  @Test
  void the_readable_output_names_the_previous_worker_and_its_added_weight() {
    CliRun run = CliRun.of(Map.of(), "explain", "--workers", WORKERS, "--action", STICKY, "--now", NOW,
        "--previous-worker", "worker-python");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("outcome  selected: worker-python")
        .contains("previous worker-python ran it before: its score includes +100")
        .containsPattern("worker-python \\(previous\\)\\s+yes\\s+100\\s+3/10");
  }

  @Test
  void an_unknown_previous_worker_exits_2_naming_the_option_and_the_workers_file() {
    CliRun run = CliRun.of(Map.of(), "explain", "--workers", WORKERS, "--action", STICKY, "--now", NOW,
        "--previous-worker", "worker-nowhere");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("--previous-worker").contains("worker-nowhere").contains(WORKERS);
  }

  @Test
  void a_bad_preference_in_the_action_file_exits_2_naming_the_key_and_what_is_expected() throws Exception {
    Path action = Files.createTempFile("sticky", ".json");
    Files.writeString(action, "{\"ref\": \"demo.x\", \"runtime\": \"shell\", "
        + "\"prefer_previous_worker\": \"yes\"}");
    CliRun run = CliRun.of(Map.of(), "explain", "--workers", WORKERS, "--action", action.toString(), "--now", NOW);

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("prefer_previous_worker").contains("expected true, false or a weight from 1 to 100");
    Files.delete(action);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(String json) {
    return (Map<String, Object>) Json.parse(json, "explain --json");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> workers(Map<String, Object> report) {
    return (List<Map<String, Object>>) report.get("workers");
  }

  private static Map<String, Object> entry(Map<String, Object> report, String name) {
    return workers(report).stream().filter(w -> name.equals(w.get("name"))).findFirst().orElseThrow();
  }
}
