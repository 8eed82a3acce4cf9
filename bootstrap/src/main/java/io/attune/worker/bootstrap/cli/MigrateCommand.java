package io.attune.worker.bootstrap.cli;

import io.attune.worker.adapter.postgres.MigrationReport;
import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.bootstrap.wiring.Services;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Applies the database migrations. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = "Create or upgrade the database schema (Flyway migrations) in ATTUNE_DATABASE_URL. Idempotent.")
final class MigrateCommand implements Callable<Integer> {

  @picocli.CommandLine.ParentCommand
  private AttuneCommand parent;

  @Option(names = "--wait", defaultValue = "0", paramLabel = "SECONDS",
      description = "Retry while the database is unreachable, up to this long (default: ${DEFAULT-VALUE}).")
  private int waitSeconds;

  @Override
  public Integer call() throws InterruptedException {
    try (PostgresAdapter postgres = Services.postgresWhenReachable(parent.config(), Duration.ofSeconds(waitSeconds),
        parent.err()::println)) {
      MigrationReport report = postgres.migrate();
      parent.out().println("applied " + report.applied() + " migration(s); schema version " + report.schemaVersion());
      parent.out().flush();
    }
    return 0;
  }
}
