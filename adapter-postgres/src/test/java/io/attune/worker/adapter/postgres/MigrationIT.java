package io.attune.worker.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.error.InfrastructureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MigrationIT {

  private TestDatabase db;
  private PostgresAdapter adapter;

  @BeforeEach
  void emptyDatabase() {
    db = TestDatabase.create("migration");
    adapter = PostgresAdapter.connect(db.settings());
  }

  @AfterEach
  void dropDatabase() {
    if (adapter != null) {
      adapter.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void migrate_on_an_empty_database_applies_the_schema_and_reports_its_version() throws Exception {
    MigrationReport report = adapter.migrate();

    assertThat(report.applied()).isGreaterThanOrEqualTo(1);
    assertThat(report.schemaVersion()).isEqualTo(latestScriptVersion());
    assertThat(tables()).contains("worker", "execution", "identity", "flyway_schema_history");
    assertThat(indexes()).contains("worker_runtimes_idx", "execution_held_idx", "execution_waiting_idx",
        "worker_name_key", "identity_login_key");
  }

  @Test
  void migrate_a_second_time_applies_nothing_and_keeps_the_version() {
    MigrationReport first = adapter.migrate();

    MigrationReport second = adapter.migrate();

    assertThat(second.applied()).isZero();
    assertThat(second.schemaVersion()).isEqualTo(first.schemaVersion());
  }

  @Test
  void require_current_schema_on_an_empty_database_tells_to_run_migrate() {
    assertThatThrownBy(adapter::requireCurrentSchema)
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("no attune-worker schema")
        .hasMessageContaining("run `attune-worker migrate`")
        .hasMessageContaining(db.settings().location());
  }

  @Test
  void require_current_schema_after_migrate_passes() {
    adapter.migrate();

    adapter.requireCurrentSchema();

    assertThat(adapter.migrate().applied()).isZero();
  }

  @Test
  void require_current_schema_on_a_database_migrated_by_newer_code_fails_naming_both_versions() throws Exception {
    adapter.migrate();
    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,"
          + " installed_by, execution_time, success) SELECT max(installed_rank) + 1, '999', 'from the future', 'SQL',"
          + " 'V999__from_the_future.sql', 1, current_user, 1, true FROM flyway_schema_history");
    }

    assertThatThrownBy(adapter::requireCurrentSchema)
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("at version 999")
        .hasMessageContaining("newer than this attune-worker knows (version " + latestScriptVersion() + ")")
        .hasMessageContaining("upgrade attune-worker");
  }

  @Test
  void v12_moves_the_gpus_in_use_into_reserved_and_records_what_held_executions_reserve() throws Exception {
    PostgresSettings settings = db.settings();
    Flyway.configure(MigrationIT.class.getClassLoader()).dataSource(settings.url(), settings.user(),
        settings.password()).locations("classpath:db/migration").target("11").load().migrate();
    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO worker (id, name, worker_type, host, status, capabilities, heartbeat_interval_seconds, "
          + "running, gpus_in_use) VALUES (1, 'gpu', 'local', 'h', 'active', '{\"runtimes\": [\"shell\"], "
          + "\"max_concurrent_executions\": 4}', 30, 2, 3), (2, 'cpu', 'local', 'h', 'active', "
          + "'{\"runtimes\": [\"shell\"], \"max_concurrent_executions\": 4}', 30, 1, 0)");
      s.execute("INSERT INTO execution (id, action_ref, requirements, parameters, status, worker, attempt, "
          + "requested_at, status_since) VALUES "
          + "(1, 'ml.train', '{\"runtime\": \"shell\", \"gpu\": {\"count\": 3}}', '{}', 'scheduled', 1, 1, "
          + "now(), now()), (2, 'demo.plain', '{\"runtime\": \"shell\"}', '{}', 'running', 2, 1, now(), now())");
    }

    adapter.migrate();

    assertThat(strings("SELECT name || ' ' || running || ' ' || reserved::text FROM worker ORDER BY id"))
        .containsExactly("gpu 2 {\"gpus\": 3}", "cpu 1 {}");
    assertThat(strings("SELECT reserves::text FROM execution ORDER BY id"))
        .containsExactly("{\"gpus\": 3, \"slots\": 1}", "{\"slots\": 1}");
    assertThat(strings("SELECT column_name FROM information_schema.columns WHERE table_name = 'worker'"))
        .doesNotContain("gpus_in_use");
  }

  /** The newest of the scripts V1__..., V2__...: the version this code expects. */
  private static String latestScriptVersion() throws IOException {
    try (Stream<Path> scripts = Files.list(Path.of("src/main/resources/db/migration"))) {
      return String.valueOf(scripts.map(p -> p.getFileName().toString())
          .filter(name -> name.matches("V\\d+__.*\\.sql"))
          .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
          .max().orElseThrow());
    }
  }

  private List<String> tables() throws Exception {
    return strings("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
  }

  private List<String> indexes() throws Exception {
    return strings("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'");
  }

  private List<String> strings(String sql) throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection c = db.jdbc(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        names.add(r.getString(1));
      }
    }
    return names;
  }
}
