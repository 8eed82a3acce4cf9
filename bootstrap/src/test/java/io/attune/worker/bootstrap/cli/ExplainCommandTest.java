package io.attune.worker.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code explain} on the example files of docs/examples, and on malformed input. */
class ExplainCommandTest {

  private static final String WORKERS = "../docs/examples/workers.json";
  private static final String NOW = "2026-01-01T00:00:30Z";

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "action-python.json, explain-python.json",
      "action-ml.json,     explain-ml.json",
      "action-node.json,   explain-node.json",
      "action-ruby.json,   explain-ruby.json"})
  void json_output_matches_the_golden_file(String action, String golden) throws IOException {
    CliRun run = CliRun.of(Map.of(), "explain", "--workers", WORKERS, "--action", "../docs/examples/" + action,
        "--now", NOW, "--json");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out().strip()).isEqualTo(Files.readString(Path.of("src/test/resources/golden/" + golden)).strip());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "action-gpu.json,  explain-gpu.json",
      "action-pack.json, explain-pack.json"})
  void gpu_and_pack_rejections_in_json_match_the_golden_file(String action, String golden) throws IOException {
    CliRun run = CliRun.of(Map.of(), "explain", "--workers", "../docs/examples/workers-gpu.json", "--action",
        "../docs/examples/" + action, "--now", NOW, "--json");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out().strip()).isEqualTo(Files.readString(Path.of("src/test/resources/golden/" + golden)).strip());
  }

  @Test
  void a_bad_gpu_requirement_exits_2_naming_the_key() throws IOException {
    Path workers = write("workers.json", "[]");
    CliRun run = explain(workers, write("action.json",
        "{\"ref\": \"ml.a\", \"runtime\": \"shell\", \"gpu\": {\"count\": 0}}"));

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("gpu.count = 0").contains("expected an integer from 1 to 64");
  }

  @Test
  void the_readable_output_names_the_outcome_and_every_rejection() {
    CliRun run = CliRun.of(Map.of(), "explain", "--workers", WORKERS, "--action",
        "../docs/examples/action-python.json", "--now", NOW);

    assertThat(run.status()).isZero();
    assertThat(run.out()).contains("outcome  selected: worker-python")
        .contains("runtime_version: python 3.6.9 does not satisfy >=3.8")
        .contains("heartbeat_stale");
  }

  @Test
  void a_workers_file_that_is_not_json_exits_2_naming_the_file_and_line() throws IOException {
    Path workers = write("workers.json", "[{\"name\": \"a\",\n oops}]");
    CliRun run = explain(workers, write("action.json", "{\"ref\": \"p.a\", \"runtime\": \"shell\"}"));

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains(workers.toString()).contains("line 2").contains("not valid JSON");
  }

  @Test
  void a_negative_running_count_exits_2_naming_the_worker_entry() throws IOException {
    Path workers = write("workers.json", "[{\"name\": \"a\", \"running\": -1, \"capabilities\": {}}]");
    CliRun run = explain(workers, write("action.json", "{\"ref\": \"p.a\", \"runtime\": \"shell\"}"));

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("[0].running = -1").contains("expected an integer from 0");
  }

  @Test
  void a_wrong_type_exits_2_naming_the_key() throws IOException {
    Path workers = write("workers.json", "[{\"name\": \"a\", \"cordoned\": \"yes\"}]");
    CliRun run = explain(workers, write("action.json", "{\"ref\": \"p.a\", \"runtime\": \"shell\"}"));

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("[0].cordoned").contains("expected true or false");
  }

  @Test
  void an_unknown_runtime_name_exits_2_naming_it() throws IOException {
    Path workers = write("workers.json", "[{\"name\": \"a\", \"capabilities\": {\"runtimes\": [\"Py Thon\"]}}]");
    CliRun run = explain(workers, write("action.json", "{\"ref\": \"p.a\", \"runtime\": \"shell\"}"));

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("[0].capabilities.runtimes[0] = 'Py Thon'");
  }

  @Test
  void an_action_with_a_bad_version_constraint_exits_2() throws IOException {
    Path workers = write("workers.json", "[]");
    CliRun run = explain(workers, write("action.json",
        "{\"ref\": \"p.a\", \"runtime\": \"python\", \"runtime_version\": \">>3\"}"));

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("runtime_version = '>>3'");
  }

  @Test
  void no_action_exits_2_saying_to_give_an_action_ref_or_an_action_file() {
    CliRun run = CliRun.of(Map.of(), "explain", "--workers", WORKERS);

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("the action").contains("expected ACTION_REF").contains("--action FILE");
  }

  @Test
  void an_action_ref_and_an_action_file_together_exit_2_naming_both() {
    CliRun run = CliRun.of(Map.of(), "explain", "demo.hello_python", "--workers", WORKERS, "--action",
        "../docs/examples/action-python.json");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("ACTION_REF 'demo.hello_python' and --action").contains("expected one of them");
  }

  @Test
  void an_action_ref_is_read_from_the_packs_folder() {
    CliRun run = CliRun.of(Map.of("ATTUNE_PACKS_DIR", "../packs"), "explain", "demo.hello_python", "--workers",
        WORKERS, "--now", NOW);

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("action   demo.hello_python (runtime python)")
        .contains("runtime_missing: does not offer runtime python");
  }

  @Test
  void an_unknown_action_ref_exits_2_naming_the_actions_of_the_packs_folder() {
    CliRun run = CliRun.of(Map.of("ATTUNE_PACKS_DIR", "../packs"), "explain", "demo.nope", "--workers", WORKERS);

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("'demo.nope'").contains("demo.hello_python").contains("../packs");
  }

  @Test
  void without_workers_and_without_a_database_exits_2_saying_what_to_give() {
    CliRun run = CliRun.of(Map.of("ATTUNE_PACKS_DIR", "../packs"), "explain", "demo.hello_python");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).startsWith("explain: the command line: --workers: is not given")
        .contains("no database is configured")
        .contains("expected --workers FILE").contains("ATTUNE_DATABASE_URL");
  }

  @Test
  void no_workers_at_all_is_unschedulable() throws IOException {
    CliRun run = explain(write("workers.json", "[]"), write("action.json", "{\"ref\": \"p.a\", \"runtime\": \"sh\"}"));

    assertThat(run.status()).isZero();
    assertThat(run.out()).contains("\"outcome\" : \"unschedulable\"");
  }

  private CliRun explain(Path workers, Path action) {
    return CliRun.of(Map.of(), "explain", "--workers", workers.toString(), "--action", action.toString(),
        "--now", NOW, "--json");
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }
}
