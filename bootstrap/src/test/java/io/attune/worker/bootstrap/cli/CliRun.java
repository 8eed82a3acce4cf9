package io.attune.worker.bootstrap.cli;

import io.attune.worker.bootstrap.Main;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the command line in-process with a given environment and captures what it prints (also for the e2e tests). */
public record CliRun(int status, String out, String err) {

  public static CliRun of(Map<String, String> environment, String... args) {
    return withInput("", environment, args);
  }

  /** The same, with {@code input} as standard input. */
  public static CliRun withInput(String input, Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, environment, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(status, out.toString(), err.toString());
  }
}
