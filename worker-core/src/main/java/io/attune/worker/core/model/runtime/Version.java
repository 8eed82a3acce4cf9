package io.attune.worker.core.model.runtime;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A runtime version of up to three numeric parts; missing parts count as 0. */
public record Version(int major, int minor, int patch) implements Comparable<Version> {

  private static final Pattern EXACT = Pattern.compile("v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");
  private static final Pattern IN_OUTPUT = Pattern.compile("(?:v|go)?(\\d+\\.\\d+(?:\\.\\d+)?)");

  public Version {
    if (major < 0 || minor < 0 || patch < 0) {
      throw new IllegalArgumentException("version parts must not be negative: " + major + "." + minor + "." + patch);
    }
  }

  /**
   * Parses {@code 3}, {@code 3.11}, {@code 3.11.2} or {@code v18.19.0}.
   *
   * @throws IllegalArgumentException naming the text when it is not a version
   */
  public static Version parse(String text) {
    Matcher m = EXACT.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a version: expected MAJOR[.MINOR[.PATCH]], e.g. 3.11.2");
    }
    return new Version(part(m.group(1)), part(m.group(2)), part(m.group(3)));
  }

  /**
   * Finds the first {@code \d+.\d+(.\d+)?} in the output of a {@code --version} command, after an optional
   * {@code v} or {@code go}: {@code Python 3.11.2}, {@code v20.11.1}, {@code go version go1.22.1 linux/amd64}.
   */
  public static Optional<Version> findIn(String output) {
    if (output == null) {
      return Optional.empty();
    }
    Matcher m = IN_OUTPUT.matcher(output);
    while (m.find()) {
      try {
        return Optional.of(parse(m.group(1)));
      } catch (IllegalArgumentException tooLarge) {
        // a number beyond int range (a build id, a date stamp) is not the version: look further
      }
    }
    return Optional.empty();
  }

  private static int part(String digits) {
    if (digits == null) {
      return 0;
    }
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException tooLong) {
      throw new IllegalArgumentException("version part '" + digits + "' is too large", tooLong);
    }
  }

  /** The next minor version, used by {@code ~}. */
  Version nextMinor() {
    return new Version(major, minor + 1, 0);
  }

  /** The next major version, used by {@code ^}. */
  Version nextMajor() {
    return new Version(major + 1, 0, 0);
  }

  @Override
  public int compareTo(Version o) {
    if (major != o.major) {
      return Integer.compare(major, o.major);
    }
    if (minor != o.minor) {
      return Integer.compare(minor, o.minor);
    }
    return Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
