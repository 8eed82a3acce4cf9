package io.attune.worker.testsupport.services;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL and RabbitMQ that {@code scripts/test-services.sh} started, from its {@code ATTUNE_TEST_*}
 * variables, and what tests do with them: throwaway databases and virtual hosts, and the services' control scripts.
 *
 * <p>Without the variables a test is skipped; when the script says the services are required
 * ({@code ATTUNE_TEST_SERVICES=required}), a missing or unreachable service fails it instead. Plain JDBC URLs and
 * strings only: each module wraps them in its own settings, so this module depends on none of them.
 *
 * @param databaseUrl {@code jdbc:postgresql://host:port/attune}, or null when only the broker was asked for
 * @param databaseUser the database's user ({@code postgres} by default)
 * @param databasePassword its password (empty by default)
 * @param mqUrl {@code amqp://user:pass@host:port/%2F}, or null when only the database was asked for
 * @param mqCtl the broker's control script ({@code ATTUNE_TEST_MQ_CTL}), or null
 * @param pgCtl the database's control script ({@code ATTUNE_TEST_PG_CTL}), or null
 */
public record TestServices(String databaseUrl, String databaseUser, String databasePassword, String mqUrl,
    String mqCtl, String pgCtl) {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  /** Both services, or a skipped (when required: failed) test when either is absent. */
  public static TestServices require() {
    TestServices services = fromEnvironment();
    if (services.databaseUrl == null || services.mqUrl == null) {
      unavailable("ATTUNE_TEST_DATABASE_URL or ATTUNE_TEST_MQ_URL is missing: run the tests through scripts/test.sh");
    }
    return services;
  }

  /** The PostgreSQL cluster, for tests that need no broker. */
  public static TestServices requirePostgres() {
    TestServices services = fromEnvironment();
    if (services.databaseUrl == null) {
      unavailable("ATTUNE_TEST_DATABASE_URL is not set: run the tests through scripts/test-services.sh");
    }
    return services;
  }

  /** The RabbitMQ node, for tests that need no database. */
  public static TestServices requireRabbit() {
    TestServices services = fromEnvironment();
    if (services.mqUrl == null) {
      unavailable("ATTUNE_TEST_MQ_URL is not set: run the tests through scripts/test-services.sh");
    }
    return services;
  }

  /**
   * Ends the test because a service cannot be used: a failure when {@code ATTUNE_TEST_SERVICES=required}, else a
   * skipped test. Never returns normally.
   */
  public static void unavailable(String why) {
    if ("required".equals(System.getenv("ATTUNE_TEST_SERVICES"))) {
      fail("the test services are required (ATTUNE_TEST_SERVICES=required) but " + why);
    }
    Assumptions.abort(why);
  }

  private static TestServices fromEnvironment() {
    return new TestServices(env("ATTUNE_TEST_DATABASE_URL").orElse(null),
        env("ATTUNE_TEST_DATABASE_USER").orElse("postgres"), env("ATTUNE_TEST_DATABASE_PASSWORD").orElse(""),
        env("ATTUNE_TEST_MQ_URL").orElse(null), env("ATTUNE_TEST_MQ_CTL").orElse(null),
        env("ATTUNE_TEST_PG_CTL").orElse(null));
  }

  private static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
  }

  // ---- PostgreSQL -------------------------------------------------------------------------------------------------

  /** A new, empty database of a unique name that starts with {@code prefix}; closing it drops it. */
  public ThrowawayDatabase newDatabase(String prefix) {
    String name = ("it_" + prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet())
        .toLowerCase(Locale.ROOT);
    try {
      asAdministrator("CREATE DATABASE " + name);
    } catch (SQLException unreachable) {
      unavailable("cannot create a test database on " + databaseUrl + ": " + unreachable.getMessage());
    }
    return new ThrowawayDatabase(this, name);
  }

  /**
   * A database of this name, new and empty (one left by an earlier run of the same name is dropped first), for a
   * suite that wants every count in it to be its own; returns its JDBC URL. Nothing drops it: the cluster is thrown
   * away after the run.
   */
  public String createDatabase(String name) {
    try {
      asAdministrator("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      asAdministrator("CREATE DATABASE " + name);
    } catch (SQLException unreachable) {
      unavailable("cannot create the database " + name + " on " + databaseUrl + ": " + unreachable.getMessage());
    }
    return databaseUrl(name);
  }

  /** The JDBC URL of another database of the same cluster, with the same parameters. */
  public String databaseUrl(String database) {
    String prefix = "jdbc:postgresql://";
    if (databaseUrl == null || !databaseUrl.startsWith(prefix)) {
      throw new IllegalStateException("not a PostgreSQL JDBC URL: " + databaseUrl);
    }
    String rest = databaseUrl.substring(prefix.length());
    int query = rest.indexOf('?');
    String params = query < 0 ? "" : rest.substring(query);
    String path = query < 0 ? rest : rest.substring(0, query);
    int slash = path.indexOf('/');
    String hosts = slash < 0 ? path : path.substring(0, slash);
    return prefix + hosts + "/" + database + params;
  }

  /** Runs a statement as the administrator, on the cluster's maintenance database ({@code CREATE DATABASE}...). */
  public void asAdministrator(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(databaseUrl, databaseUser, databasePassword);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Runs the database's control script, {@code "$ATTUNE_TEST_PG_CTL" stop|start}; a non-zero exit fails the test. */
  public void pg(String... args) {
    run("ATTUNE_TEST_PG_CTL", pgCtl, args);
  }

  // ---- RabbitMQ ---------------------------------------------------------------------------------------------------

  /**
   * A virtual host of this name on the broker, which the test user may use in full; returns the broker URL that
   * leads into it. Needs the control script.
   */
  public String createVirtualHost(String name) {
    mq("rabbitmqctl", "add_vhost", name);
    URI broker = URI.create(mqUrl);
    String user = broker.getRawUserInfo() == null ? "guest" : broker.getRawUserInfo().split(":")[0];
    mq("rabbitmqctl", "set_permissions", "-p", name, user, ".*", ".*", ".*");
    return mqUrl.substring(0, mqUrl.lastIndexOf('/') + 1) + name;
  }

  /** Runs the broker's control script, {@code "$ATTUNE_TEST_MQ_CTL" args...}; a non-zero exit fails the test. */
  public void mq(String... args) {
    run("ATTUNE_TEST_MQ_CTL", mqCtl, args);
  }

  private static void run(String variable, String script, String... args) {
    if (script == null) {
      fail(variable + " is not set: run the tests through scripts/test-services.sh");
    }
    List<String> command = new ArrayList<>();
    command.add(script);
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        fail(String.join(" ", command) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
