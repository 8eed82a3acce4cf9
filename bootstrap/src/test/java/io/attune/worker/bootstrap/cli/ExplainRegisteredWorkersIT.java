package io.attune.worker.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.testsupport.services.TestServices;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code explain} against the workers registered in a real PostgreSQL: directly with a database configured, and
 * through the output of {@code workers --json} on standard input. The database may hold other tests' workers, so
 * the checks are about the workers registered here, under names unique to this run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainRegisteredWorkersIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACTION_PYTHON_3_8 = Path.of("../docs/examples/action-python.json").toAbsolutePath()
      .normalize().toString();

  private final String prefix = "explain-" + UUID.randomUUID().toString().substring(0, 8) + "-";
  private Map<String, String> env;
  private PostgresAdapter db;

  @BeforeAll
  void registerWorkers() {
    TestServices services = TestServices.require();
    env = Map.of("ATTUNE_DATABASE_URL", services.databaseUrl(), "ATTUNE_DATABASE_USER", services.databaseUser(),
        "ATTUNE_DATABASE_PASSWORD", services.databasePassword(), "ATTUNE_PACKS_DIR", "../packs");
    CliRun migrate = CliRun.of(env, "migrate");
    assertThat(migrate.status()).as(migrate.err()).isZero();
    db = PostgresAdapter.connect(PostgresSettings.of(services.databaseUrl(), services.databaseUser(),
        services.databasePassword()));
    register("python", Capabilities.builder().runtime(RuntimeName.SHELL)
        .runtime(RuntimeName.PYTHON, Version.parse("3.11.2")));
    register("shell", Capabilities.builder().runtime(RuntimeName.SHELL));
    register("old-cordoned", Capabilities.builder().runtime(RuntimeName.PYTHON, Version.parse("3.6.9")));
    db.registry().setCordoned(prefix + "old-cordoned", true);
    Worker gone = register("gone", Capabilities.builder().runtime(RuntimeName.PYTHON, Version.parse("3.11.2")));
    db.registry().markInactive(gone.id());
  }

  /** Other tests share the database and count its active workers: leave none of this test's behind. */
  @AfterAll
  void removeWorkersAndClose() throws SQLException {
    if (db == null) {
      return;
    }
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement delete = connection.prepareStatement("DELETE FROM worker WHERE name LIKE ?")) {
      delete.setString(1, prefix + "%");
      assertThat(delete.executeUpdate()).as("workers of this test removed").isEqualTo(4);
    } finally {
      db.close();
    }
  }

  @Test
  void an_action_ref_is_explained_against_the_registered_workers_with_each_ones_rejections() throws Exception {
    CliRun run = CliRun.of(env, "explain", "demo.hello_python", "--json");

    assertThat(run.status()).as(run.err()).isZero();
    Map<?, ?> explanation = JSON.readValue(run.out(), Map.class);
    assertThat(explanation.get("action")).isEqualTo("demo.hello_python");
    assertThat(explanation.get("outcome")).as("%s-python can run it", prefix).isEqualTo("selected");
    assertThat(rejectionCodes(explanation, "python")).isEmpty();
    assertThat(rejectionCodes(explanation, "shell")).containsExactly("runtime_missing");
    assertThat(rejectionCodes(explanation, "old-cordoned")).containsExactly("cordoned");
    assertThat(rejectionCodes(explanation, "gone")).containsExactly("inactive");
  }

  @Test
  void the_readable_explanation_names_the_registered_workers_and_their_rejections() {
    CliRun run = CliRun.of(env, "explain", "demo.hello_python");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("action   demo.hello_python (runtime python)").contains("outcome  selected")
        .containsPattern(prefix + "shell +no .*runtime_missing: does not offer runtime python")
        .containsPattern(prefix + "gone +no .*inactive");
  }

  @Test
  void the_real_output_of_workers_json_piped_into_explain_is_explained() throws Exception {
    CliRun workers = CliRun.of(env, "workers", "--json");
    assertThat(workers.status()).as(workers.err()).isZero();

    CliRun run = CliRun.withInput(workers.out(), Map.of(), "explain", "--workers", "-", "--action",
        ACTION_PYTHON_3_8, "--json");

    assertThat(run.status()).as(run.err()).isZero();
    Map<?, ?> explanation = JSON.readValue(run.out(), Map.class);
    assertThat(explanation.get("outcome")).isEqualTo("selected");
    assertThat(rejectionCodes(explanation, "python")).isEmpty();
    assertThat(rejectionCodes(explanation, "shell")).containsExactly("runtime_missing");
    assertThat(rejectionCodes(explanation, "old-cordoned")).containsExactlyInAnyOrder("runtime_version",
        "cordoned");
    assertThat(rejectionCodes(explanation, "gone")).containsExactly("inactive");
  }

  private Worker register(String suffix, Capabilities.Builder capabilities) {
    return db.registry().register(new WorkerRegistration(prefix + suffix, WorkerType.LOCAL, "host-" + suffix,
        capabilities.maxConcurrentExecutions(2).build(), Duration.ofSeconds(30)), db.clock().instant());
  }

  /** The codes of the rejections of this test's worker {@code prefix + suffix}; fails if it is not listed. */
  private List<String> rejectionCodes(Map<?, ?> explanation, String suffix) {
    String name = prefix + suffix;
    Map<?, ?> worker = ((List<?>) explanation.get("workers")).stream().map(w -> (Map<?, ?>) w)
        .filter(w -> name.equals(w.get("name"))).findFirst()
        .orElseThrow(() -> new AssertionError(name + " is not in the explanation " + explanation));
    return ((List<?>) worker.get("rejections")).stream().map(r -> (String) ((Map<?, ?>) r).get("code")).toList();
  }
}
