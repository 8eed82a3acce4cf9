package io.attune.worker.bootstrap;

import io.attune.worker.bootstrap.cli.AttuneCommand;
import io.attune.worker.bootstrap.logging.LogSettings;
import io.attune.worker.bootstrap.logging.Logging;
import io.attune.worker.core.error.ConfigurationException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;

/** The {@code attune-worker} command line: {@code java -jar attune-worker.jar COMMAND}. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    Map<String, String> environment = System.getenv();
    LogSettings logs;
    try {
      logs = LogSettings.from(environment, Optional.ofNullable(System.getProperty(LogSettings.LEVEL_PROPERTY)));
    } catch (ConfigurationException bad) {
      System.err.println("attune-worker: " + bad.getMessage());
      System.exit(AttuneCommand.BAD_INPUT);
      return;
    }
    // Logback, from ATTUNE_LOG_FORMAT, ATTUNE_LOG_LEVEL and ATTUNE_LOG_DIR (see docs/operations.md, Logs)
    Logging.configure(logs, System.err);
    System.exit(run(args, environment, System.in, new PrintWriter(System.out, true),
        new PrintWriter(System.err, true)));
  }

  /** Runs a command with the given environment and streams, standard input the process's; returns the status. */
  public static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
    return run(args, environment, System.in, out, err);
  }

  /** Runs a command with the given environment and streams; returns the exit status. */
  public static int run(String[] args, Map<String, String> environment, InputStream in, PrintWriter out,
      PrintWriter err) {
    return AttuneCommand.commandLine(environment, in, out, err).execute(args);
  }
}
