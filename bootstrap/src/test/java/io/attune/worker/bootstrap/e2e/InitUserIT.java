package io.attune.worker.bootstrap.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.bootstrap.Main;
import io.attune.worker.bootstrap.security.Argon2PasswordHasher;
import io.attune.worker.core.model.user.UserAccount;
import io.attune.worker.testsupport.services.TestServices;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code init-user} on a real PostgreSQL: idempotent, safe when two run at once, Argon2id hashes at run time. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InitUserIT {

  private TestServices services;
  private PostgresAdapter db;

  @BeforeAll
  void migrate() {
    services = TestServices.require();
    assertThat(run(Map.of(), "migrate").status()).isZero();
    db = PostgresAdapter.connect(PostgresSettings.of(services.databaseUrl(), services.databaseUser(),
        services.databasePassword()));
  }

  @AfterAll
  void close() {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void the_first_run_creates_the_user_and_the_second_changes_nothing() {
    String login = uniqueLogin();
    Run first = run(Map.of("ATTUNE_INIT_USER_LOGIN", login, "ATTUNE_INIT_USER_PASSWORD", "s3cret-Pass"),
        "init-user");
    UserAccount created = db.users().find(login).orElseThrow();
    Run second = run(Map.of("ATTUNE_INIT_USER_LOGIN", login, "ATTUNE_INIT_USER_PASSWORD", "other-Pass"),
        "init-user");

    assertThat(first.status()).isZero();
    assertThat(first.out()).contains("created user " + login);
    assertThat(second.status()).isZero();
    assertThat(second.out()).contains("already exists");
    assertThat(db.users().find(login).orElseThrow().passwordHash()).isEqualTo(created.passwordHash());
  }

  @Test
  void two_concurrent_runs_create_one_row() throws Exception {
    String login = uniqueLogin();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Callable<Run> initUser = () -> run(Map.of("ATTUNE_INIT_USER_LOGIN", login, "ATTUNE_INIT_USER_PASSWORD",
          "Concurrent-1"), "init-user");
      List<Future<Run>> runs = pool.invokeAll(List.of(initUser, initUser));
      assertThat(runs).allSatisfy(r -> assertThat(r.get().status()).isZero());
      assertThat(runs.stream().filter(r -> {
        try {
          return r.get().out().contains("created user");
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }).count()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    try (var connection = db.dataSource().getConnection(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM identity WHERE login = '" + login + "'")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void a_custom_password_verifies_against_its_argon2id_hash_and_the_default_does_not() {
    String login = uniqueLogin();
    Run run = run(Map.of("ATTUNE_INIT_USER_LOGIN", login, "ATTUNE_INIT_USER_PASSWORD", "My-Own-Pass-42"),
        "init-user");

    assertThat(run.status()).isZero();
    assertThat(run.err()).doesNotContain("WARNING");
    String hash = db.users().find(login).orElseThrow().passwordHash();
    assertThat(hash).startsWith("$argon2id$").contains("m=19456,t=2,p=1");
    Argon2PasswordHasher hasher = new Argon2PasswordHasher();
    assertThat(hasher.verify(hash, "My-Own-Pass-42".toCharArray())).isTrue();
    assertThat(hasher.verify(hash, "TestPass123!".toCharArray())).isFalse();
  }

  @Test
  void the_default_password_works_but_warns_loudly() {
    String login = uniqueLogin();
    Run run = run(Map.of("ATTUNE_INIT_USER_LOGIN", login), "init-user");

    assertThat(run.status()).isZero();
    assertThat(run.err()).contains("WARNING").contains("default password");
    assertThat(new Argon2PasswordHasher().verify(db.users().find(login).orElseThrow().passwordHash(),
        "TestPass123!".toCharArray())).isTrue();
  }

  @Test
  void an_unreachable_database_fails_after_the_bounded_wait_with_a_clear_message() {
    Map<String, String> env = new HashMap<>();
    env.put("ATTUNE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/attune");
    env.put("ATTUNE_INIT_USER_WAIT_SECONDS", "1");
    Run run = run(env, "init-user");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).contains("127.0.0.1:1/attune").contains("still unreachable after 1 s");
  }

  private Run run(Map<String, String> extra, String... args) {
    Map<String, String> env = new HashMap<>(Map.of("ATTUNE_DATABASE_URL", services.databaseUrl(),
        "ATTUNE_DATABASE_USER", services.databaseUser(), "ATTUNE_DATABASE_PASSWORD", services.databasePassword(),
        "ATTUNE_INIT_USER_WAIT_SECONDS", "10"));
    env.putAll(extra);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(status, out.toString(), err.toString());
  }

  private static String uniqueLogin() {
    return "user-" + UUID.randomUUID() + "@attune.local";
  }

  private record Run(int status, String out, String err) {
  }
}
