package io.attune.worker.bootstrap.logging;

import ch.qos.logback.core.util.FileSize;
import io.attune.worker.core.error.ConfigurationException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the process logs, read from the environment: the format of each line, the level, and where the rotated copy
 * goes. A value that cannot be used is a {@link ConfigurationException} naming the variable and what is allowed.
 *
 * @param format {@code ATTUNE_LOG_FORMAT}: {@code text} (default) or {@code json}
 * @param level {@code ATTUNE_LOG_LEVEL} (or the system property {@code attune.log.level}, which wins): the root level
 * @param directory {@code ATTUNE_LOG_DIR}: where the copy of the log goes; none when unset
 * @param fileName the copy's file name, {@code attune-worker-<HOSTNAME>.log}: one per replica on a shared volume
 * @param maxFileSize {@code ATTUNE_LOG_MAX_FILE_SIZE} in bytes: the copy rolls over past this size (default 10 MB)
 * @param maxFiles {@code ATTUNE_LOG_MAX_FILES}: how many files the copy keeps, the current one included (default 5)
 */
public record LogSettings(LogFormat format, String level, Optional<Path> directory, String fileName,
    long maxFileSize, int maxFiles) {

  public static final String FORMAT = "ATTUNE_LOG_FORMAT";
  public static final String LEVEL = "ATTUNE_LOG_LEVEL";
  public static final String LEVEL_PROPERTY = "attune.log.level";
  public static final String DIR = "ATTUNE_LOG_DIR";
  public static final String MAX_FILE_SIZE = "ATTUNE_LOG_MAX_FILE_SIZE";
  public static final String MAX_FILES = "ATTUNE_LOG_MAX_FILES";

  /** The levels a user may name, most verbose first. */
  public static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error");
  public static final long DEFAULT_MAX_FILE_SIZE = 10L * 1024 * 1024;
  public static final int DEFAULT_MAX_FILES = 5;
  /** The current file and at least one older one: rolling over needs somewhere to roll to. */
  public static final int MIN_MAX_FILES = 2;
  /** Logback's fixed-window rolling keeps at most 20 old files; with the current one that makes 21. */
  public static final int MAX_MAX_FILES = 21;
  /** Smaller files would roll over on almost every line. */
  public static final long MIN_MAX_FILE_SIZE = 1024;

  public LogSettings {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(fileName, "fileName");
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException("level " + level + " is not one of " + LEVELS);
    }
    if (maxFileSize < MIN_MAX_FILE_SIZE || maxFiles < MIN_MAX_FILES || maxFiles > MAX_MAX_FILES) {
      throw new IllegalArgumentException("bad rotation: " + maxFileSize + " bytes, " + maxFiles + " files");
    }
  }

  /** Text lines at info on standard error, no copy on disk: what a process logs before it has read its settings. */
  public static LogSettings defaults() {
    return new LogSettings(LogFormat.TEXT, "info", Optional.empty(), fileName(Map.of()), DEFAULT_MAX_FILE_SIZE,
        DEFAULT_MAX_FILES);
  }

  /**
   * Reads the settings.
   *
   * @param environment the process's environment
   * @param levelProperty the system property {@code attune.log.level}, if set: for tests and benchmarks run by Maven
   * @throws ConfigurationException naming the variable and the values it allows
   */
  public static LogSettings from(Map<String, String> environment, Optional<String> levelProperty) {
    LogFormat format = value(environment, FORMAT).map(text -> LogFormat.parse(text).orElseThrow(() ->
        new ConfigurationException("environment", FORMAT + "='" + text + "'", "expected "
            + LogFormat.expected()))).orElse(LogFormat.TEXT);
    String level = levelProperty.filter(p -> !p.isBlank()).map(p -> level(p, "-D" + LEVEL_PROPERTY))
        .orElseGet(() -> value(environment, LEVEL).map(v -> level(v, LEVEL)).orElse("info"));
    Optional<Path> directory = value(environment, DIR).filter(v -> !v.isBlank()).map(Path::of);
    long maxFileSize = value(environment, MAX_FILE_SIZE).map(LogSettings::fileSize).orElse(DEFAULT_MAX_FILE_SIZE);
    int maxFiles = value(environment, MAX_FILES).map(LogSettings::fileCount).orElse(DEFAULT_MAX_FILES);
    return new LogSettings(format, level, directory, fileName(environment), maxFileSize, maxFiles);
  }

  private static Optional<String> value(Map<String, String> environment, String name) {
    return Optional.ofNullable(environment.get(name)).filter(v -> !v.isEmpty());
  }

  private static String level(String text, String source) {
    String level = text.strip().toLowerCase(Locale.ROOT);
    if (!LEVELS.contains(level)) {
      throw new ConfigurationException("environment", source + "='" + text + "'", "expected one of "
          + String.join(", ", LEVELS));
    }
    return level;
  }

  private static long fileSize(String text) {
    long bytes;
    try {
      bytes = FileSize.valueOf(text.strip()).getSize();
    } catch (IllegalArgumentException notASize) {
      bytes = -1;
    }
    if (bytes < MIN_MAX_FILE_SIZE) {
      throw new ConfigurationException("environment", MAX_FILE_SIZE + "='" + text + "'",
          "expected a size of at least 1KB: a number with KB, MB or GB, e.g. 10MB");
    }
    return bytes;
  }

  private static int fileCount(String text) {
    try {
      int count = Integer.parseInt(text.strip());
      if (count >= MIN_MAX_FILES && count <= MAX_MAX_FILES) {
        return count;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new ConfigurationException("environment", MAX_FILES + "='" + text + "'",
        "expected a number of files from " + MIN_MAX_FILES + " to " + MAX_MAX_FILES + " (the current one included)");
  }

  /** {@code attune-worker-<HOSTNAME>.log}, the host name made safe for a file name; {@code local} without one. */
  static String fileName(Map<String, String> environment) {
    return "attune-worker-" + environment.getOrDefault("HOSTNAME", "local").replaceAll("[^A-Za-z0-9._-]", "_")
        + ".log";
  }

  /** The copy's path, when there is a directory. */
  public Optional<Path> file() {
    return directory.map(d -> d.resolve(fileName));
  }
}
