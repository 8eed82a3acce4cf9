package io.attune.worker.bootstrap.logging;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The shape of a log line. */
public enum LogFormat {
  /** {@code 2026-01-01T10:00:00.123Z INFO  logger - message}, the stack trace on the lines below. */
  TEXT,
  /** One JSON object per line: for a log shipper. */
  JSON;

  /** The format of that name ({@code text} or {@code json}, any case), if it is one. */
  public static Optional<LogFormat> parse(String text) {
    String name = text.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(f -> f.wireName().equals(name)).findFirst();
  }

  /** The name users write. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code text or json}, for error messages. */
  static String expected() {
    return Arrays.stream(values()).map(LogFormat::wireName).collect(Collectors.joining(" or "));
  }
}
