package io.attune.worker.bootstrap;

import io.attune.worker.bootstrap.cli.AttuneCommand;
import java.io.PrintWriter;
import java.util.Map;

/** The {@code attune-worker} command line: {@code java -jar attune-worker.jar COMMAND}. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs a command with the given environment and streams; returns the exit status. */
  public static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
    return AttuneCommand.commandLine(environment, out, err).execute(args);
  }
}
