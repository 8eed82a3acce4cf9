package io.attune.worker.bootstrap;

import io.attune.worker.bootstrap.cli.AttuneCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/** The {@code attune-worker} command line: {@code java -jar attune-worker.jar COMMAND}. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    configureLogging(System.getenv());
    System.exit(run(args, System.getenv(), System.in, new PrintWriter(System.out, true),
        new PrintWriter(System.err, true)));
  }

  /**
   * Logs go to standard error with timestamps; ATTUNE_LOG_LEVEL sets the level (default info). With ATTUNE_LOG_DIR,
   * standard error is also appended to {@code <dir>/attune-worker-<hostname>.log}, so a logs volume keeps what the
   * container printed, one file per replica.
   */
  private static void configureLogging(Map<String, String> environment) {
    String logDir = environment.get("ATTUNE_LOG_DIR");
    if (logDir != null && !logDir.isBlank()) {
      try {
        Path dir = Files.createDirectories(Path.of(logDir));
        OutputStream file = Files.newOutputStream(dir.resolve("attune-worker-"
            + environment.getOrDefault("HOSTNAME", "local").replaceAll("[^A-Za-z0-9._-]", "_") + ".log"),
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.setErr(new PrintStream(new Tee(System.err, file), true, StandardCharsets.UTF_8));
      } catch (IOException unwritable) {
        System.err.println("ATTUNE_LOG_DIR=" + logDir + " is not writable (" + unwritable.getMessage()
            + "): logging to standard error only");
      }
    }
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", environment.getOrDefault("ATTUNE_LOG_LEVEL", "info"));
    System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.jooq", "warn");
  }

  /** Writes everything to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      first.write(bytes, offset, length);
      second.write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
      first.flush();
      second.flush();
    }
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
