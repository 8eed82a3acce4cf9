package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.Fixtures.NOW;
import static io.attune.worker.adapter.postgres.Fixtures.request;
import static io.attune.worker.adapter.postgres.Fixtures.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.attune.worker.core.model.worker.Worker;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The least-privilege login that workers and schedulers connect with (issue 10, scenario 10). */
class ApplicationRoleIT {

  @RegisterExtension
  static final MigratedDatabase db = new MigratedDatabase("approle");

  private final String login = "attune_it_" + UUID.randomUUID().toString().substring(0, 8);

  private PostgresSettings asApplication() throws SQLException {
    try (Connection admin = db.jdbc()) {
      String url = admin.getMetaData().getURL();
      return new PostgresSettings(url, login, "s3cret' --", 2);
    }
  }

  @Test
  void the_application_login_runs_the_workers_and_schedulers_work() throws Exception {
    db.adapter().grantApplicationLogin(login, "s3cret' --");

    try (PostgresAdapter app = PostgresAdapter.connect(asApplication())) {
      assertThatCode(app::requireCurrentSchema).doesNotThrowAnyException();
      Worker w = app.registry().register(worker("w-app", 1, "shell"), NOW);
      assertThat(app.registry().heartbeat(w.id(), NOW)).isTrue();
      var created = app.executions().create(request("demo.x", "shell"), NOW);
      assertThat(app.executions().assign(created.id(), w.id(), NOW))
          .isInstanceOf(io.attune.worker.core.port.out.ExecutionStore.Assignment.Assigned.class);
      assertThat(app.clock().instant()).isNotNull();
    }
  }

  @Test
  void the_application_login_can_change_no_schema_and_read_no_user() throws Exception {
    db.adapter().grantApplicationLogin(login, "first");
    db.adapter().grantApplicationLogin(login, "second"); // a second run updates the password, no error
    PostgresSettings settings = asApplication();

    try (Connection app = DriverManager.getConnection(settings.url(), login, "second");
        var statement = app.createStatement()) {
      assertThatThrownBy(() -> statement.execute("CREATE TABLE intruder (a int)")).hasMessageContaining("denied");
      assertThatThrownBy(() -> statement.execute("DROP TABLE execution")).hasMessageContaining("owner");
      assertThatThrownBy(() -> statement.executeQuery("SELECT password_hash FROM identity"))
          .hasMessageContaining("denied");
    }
  }
}
