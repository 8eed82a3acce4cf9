package io.attune.worker.bootstrap.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback from {@link LogSettings}: every event to the console stream (standard error) and, with a
 * directory, to a copy there that rolls over by size and keeps a bounded number of files; both in the same format.
 *
 * <p>JSON lines carry {@code timestamp} (ISO-8601, UTC), {@code level}, {@code logger}, {@code thread},
 * {@code message}, the MDC entries ({@link LogContext#WORKER}, {@link LogContext#EXECUTION_ID}) where set, and
 * {@code exception}: the stack trace as one string.
 */
public final class Logging {

  /** What the libraries say at info about connecting: pools starting, migrations checked. Warnings still show. */
  private static final List<String> LIBRARY_CHATTER = List.of("com.zaxxer.hikari", "org.flywaydb", "org.jooq");
  /**
   * What a client command ({@code workers}, {@code submit}, ...) keeps to warnings unless {@code --verbose}: the
   * libraries above, the RabbitMQ client and this project's adapters (connected to, consuming from, ...).
   */
  private static final List<String> CONNECTION_LOGGERS = List.of("com.zaxxer.hikari", "org.flywaydb",
      "com.rabbitmq", "io.attune.worker.adapter");
  /**
   * How often the copy's size is looked at (Logback's default is a minute): a file may pass its limit by what is
   * logged in this time.
   */
  static final Duration SIZE_CHECK = Duration.ofSeconds(1);
  static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX, UTC} %-5level %logger - %msg%n";

  private Logging() {
  }

  /**
   * Replaces whatever Logback was configured with.
   *
   * @param console where every event goes: standard error, or a buffer in tests
   */
  public static void configure(LogSettings settings, OutputStream console) {
    configure(settings, console, SIZE_CHECK);
  }

  /** The same, with the copy's size looked at every {@code sizeCheck}. */
  static void configure(LogSettings settings, OutputStream console, Duration sizeCheck) {
    LoggerContext context = context().orElseThrow(() -> new IllegalStateException(
        "the SLF4J backend is not Logback: " + LoggerFactory.getILoggerFactory().getClass().getName()));
    context.reset();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level level = Level.toLevel(settings.level());
    root.setLevel(level);
    LIBRARY_CHATTER.forEach(name -> context.getLogger(name).setLevel(atLeastWarn(level)));

    OutputStreamAppender<ILoggingEvent> stream = new OutputStreamAppender<>();
    stream.setName("console");
    stream.setContext(context);
    stream.setEncoder(encoder(settings.format(), context));
    stream.setOutputStream(console);
    stream.start();
    root.addAppender(stream);

    Optional<String> unwritable = Optional.empty();
    if (settings.directory().isPresent()) {
      unwritable = writable(settings.directory().get());
      if (unwritable.isEmpty()) {
        root.addAppender(rollingFile(settings, context, sizeCheck));
      }
    }
    unwritable.ifPresent(why -> LoggerFactory.getLogger(Logging.class).warn("{}={} is not writable ({}): logging "
        + "to standard error only", LogSettings.DIR, settings.directory().get(), why));
  }

  /**
   * For a client command: the services' connection logs at warnings only, unless {@code verbose}, when they show at
   * the process's level. Does nothing when the backend is not Logback (an embedder's own).
   */
  public static void forClientCommand(boolean verbose) {
    context().ifPresent(context -> {
      Level root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel();
      CONNECTION_LOGGERS.forEach(name -> context.getLogger(name).setLevel(verbose ? null : atLeastWarn(root)));
    });
  }

  private static Optional<LoggerContext> context() {
    return LoggerFactory.getILoggerFactory() instanceof LoggerContext logback ? Optional.of(logback)
        : Optional.empty();
  }

  private static Level atLeastWarn(Level level) {
    return level.isGreaterOrEqual(Level.WARN) ? level : Level.WARN;
  }

  private static Encoder<ILoggingEvent> encoder(LogFormat format, LoggerContext context) {
    Encoder<ILoggingEvent> encoder = switch (format) {
      case TEXT -> {
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setPattern(TEXT_PATTERN);
        yield text;
      }
      case JSON -> {
        LogstashEncoder json = new LogstashEncoder();
        LogstashFieldNames names = new LogstashFieldNames();
        names.setTimestamp("timestamp");
        names.setLogger("logger");
        names.setThread("thread");
        names.setStackTrace("exception");
        names.setVersion(LogstashFieldNames.IGNORE_FIELD_INDICATOR);
        names.setLevelValue(LogstashFieldNames.IGNORE_FIELD_INDICATOR);
        json.setFieldNames(names);
        json.setTimeZone("UTC");
        json.setIncludeContext(false);
        yield json;
      }
    };
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  /** {@code <dir>/<file>.log}, rolled over by size to {@code <file>.1.log} ... {@code <file>.<max-1>.log}. */
  private static RollingFileAppender<ILoggingEvent> rollingFile(LogSettings settings, LoggerContext context,
      Duration sizeCheck) {
    Path file = settings.file().orElseThrow();
    RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
    appender.setName("file");
    appender.setContext(context);
    appender.setFile(file.toString());
    appender.setAppend(true);

    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(context);
    rolling.setParent(appender);
    String name = settings.fileName();
    rolling.setFileNamePattern(file.resolveSibling(name.substring(0, name.length() - ".log".length()) + ".%i.log")
        .toString());
    rolling.setMinIndex(1);
    rolling.setMaxIndex(settings.maxFiles() - 1);
    rolling.start();

    SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
    trigger.setContext(context);
    trigger.setMaxFileSize(new FileSize(settings.maxFileSize()));
    trigger.setCheckIncrement(ch.qos.logback.core.util.Duration.buildByMilliseconds(sizeCheck.toMillis()));
    trigger.start();

    appender.setRollingPolicy(rolling);
    appender.setTriggeringPolicy(trigger);
    appender.setEncoder(encoder(settings.format(), context));
    appender.start();
    return appender;
  }

  /** Why the directory cannot take the log, if it cannot. */
  private static Optional<String> writable(Path directory) {
    try {
      Files.createDirectories(directory);
      return Files.isWritable(directory) ? Optional.empty() : Optional.of("permission denied");
    } catch (IOException | SecurityException failed) {
      return Optional.of(failed.toString());
    }
  }
}
