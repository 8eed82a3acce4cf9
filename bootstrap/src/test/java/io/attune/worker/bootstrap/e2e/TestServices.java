package io.attune.worker.bootstrap.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL and RabbitMQ that {@code scripts/test-services.sh} started. When the script says they are
 * required, their absence fails the test instead of skipping it. Public for the tests of the roles.
 */
public record TestServices(String databaseUrl, String databaseUser, String databasePassword, String mqUrl,
    String mqCtl, String pgCtl) {

  /** The services, or a skipped test when they are absent and not required. */
  public static TestServices require() {
    Optional<String> db = env("ATTUNE_TEST_DATABASE_URL");
    Optional<String> mq = env("ATTUNE_TEST_MQ_URL");
    boolean required = "required".equals(System.getenv("ATTUNE_TEST_SERVICES"));
    if (db.isEmpty() || mq.isEmpty()) {
      if (required) {
        throw new AssertionError("ATTUNE_TEST_SERVICES=required but ATTUNE_TEST_DATABASE_URL or ATTUNE_TEST_MQ_URL "
            + "is missing: run the tests through scripts/test.sh");
      }
      assumeTrue(false, "no test services: run through scripts/test.sh");
    }
    return new TestServices(db.get(), env("ATTUNE_TEST_DATABASE_USER").orElse("postgres"),
        env("ATTUNE_TEST_DATABASE_PASSWORD").orElse(""), mq.get(), env("ATTUNE_TEST_MQ_CTL").orElse(null),
        env("ATTUNE_TEST_PG_CTL").orElse(null));
  }

  private static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
  }

  /** Runs the broker's control script, {@code "$ATTUNE_TEST_MQ_CTL" args...}; a non-zero exit fails the test. */
  void mq(String... args) {
    run("ATTUNE_TEST_MQ_CTL", mqCtl, args);
  }

  /** Runs the database's control script, {@code "$ATTUNE_TEST_PG_CTL" stop|start}; likewise. */
  void pg(String... args) {
    run("ATTUNE_TEST_PG_CTL", pgCtl, args);
  }

  private static void run(String variable, String script, String... args) {
    if (script == null) {
      throw new AssertionError(variable + " is not set: run the tests through scripts/test.sh");
    }
    List<String> command = new ArrayList<>();
    command.add(script);
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
