package io.attune.worker.bootstrap.cli;

import io.attune.worker.adapter.postgres.MigrationReport;
import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.bootstrap.config.Settings;
import io.attune.worker.bootstrap.wiring.Services;
import io.attune.worker.core.error.ConfigurationException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Applies the database migrations. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = {"Create or upgrade the database schema (Flyway migrations) in ATTUNE_DATABASE_URL. Idempotent.",
        "With ATTUNE_APP_DATABASE_USER and ATTUNE_APP_DATABASE_PASSWORD set, also create (or update the password of) "
            + "that login role as a member of attune_app, which may use the workers' and executions' tables and "
            + "nothing else: the account workers and schedulers should connect with."})
final class MigrateCommand implements Callable<Integer> {

  static final String APP_USER = Settings.APP_DATABASE_USER.variableName();
  static final String APP_PASSWORD = Settings.APP_DATABASE_PASSWORD.variableName();

  @picocli.CommandLine.ParentCommand
  private AttuneCommand parent;

  @Option(names = "--wait", defaultValue = "0", paramLabel = "SECONDS",
      description = "Retry while the database is unreachable, up to this long (default: ${DEFAULT-VALUE}).")
  private int waitSeconds;

  @Override
  public Integer call() throws InterruptedException {
    try (PostgresAdapter postgres = Services.postgresWhenReachable(parent.config(), Duration.ofSeconds(waitSeconds),
        parent.clock(), parent.err()::println)) {
      MigrationReport report = postgres.migrate();
      parent.out().println("applied " + report.applied() + " migration(s); schema version " + report.schemaVersion());
      Optional<String> appUser = env(APP_USER);
      if (appUser.isPresent()) {
        String password = env(APP_PASSWORD).orElseThrow(() -> new ConfigurationException("environment", APP_PASSWORD,
            "is not set: expected the password of " + APP_USER + "='" + appUser.get() + "'"));
        postgres.grantApplicationLogin(appUser.get(), password);
        parent.out().println("login role " + appUser.get() + " is a member of " + PostgresAdapter.APPLICATION_ROLE);
      }
      parent.out().flush();
    }
    return 0;
  }

  private Optional<String> env(String name) {
    return Optional.ofNullable(parent.environment().get(name)).filter(v -> !v.isBlank());
  }
}
