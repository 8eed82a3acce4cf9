package io.attune.worker.bootstrap.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;

/**
 * The PostgreSQL and RabbitMQ that {@code scripts/test-services.sh} started. When the script says they are
 * required, their absence fails the test instead of skipping it.
 */
record TestServices(String databaseUrl, String databaseUser, String databasePassword, String mqUrl, String mqCtl,
    String pgCtl) {

  static TestServices require() {
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
}
