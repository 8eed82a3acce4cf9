package io.attune.worker.bootstrap;

import io.attune.worker.bootstrap.cli.AttuneCommand;
import java.io.PrintWriter;
import java.util.Map;

/** The {@code attune-worker} command line: {@code java -jar attune-worker.jar COMMAND}. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    configureLogging(System.getenv());
    System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Logs go to standard error with timestamps; ATTUNE_LOG_LEVEL sets the level (default info). */
  private static void configureLogging(Map<String, String> environment) {
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", environment.getOrDefault("ATTUNE_LOG_LEVEL", "info"));
    System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.jooq", "warn");
  }

  /** Runs a command with the given environment and streams; returns the exit status. */
  public static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
    return AttuneCommand.commandLine(environment, out, err).execute(args);
  }
}
