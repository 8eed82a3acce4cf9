package io.attune.worker.bootstrap.cli;

import picocli.CommandLine.Option;

/**
 * {@code --verbose} of a client command: without it, the services' connection logs (connection pool, migrations,
 * the RabbitMQ client, this project's adapters) show only their warnings and errors, so that what the command prints
 * is what the user asked for. {@link AttuneCommand} applies it before the command runs.
 */
final class Verbosity {

  @Option(names = "--verbose", description = "Also print the services' connection logs (connection pool, "
      + "migrations, RabbitMQ) at ATTUNE_LOG_LEVEL; without it only their warnings and errors.")
  private boolean verbose;

  boolean verbose() {
    return verbose;
  }
}
