package io.attune.worker.core.error;

import java.util.Objects;

/**
 * A configuration value that cannot be used: names where it came from, the entry and what was expected.
 *
 * <p>The command line turns it into exit status 2.
 */
public final class ConfigurationException extends AttuneException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String entry;
  private final String expected;

  public ConfigurationException(String source, String entry, String expected) {
    super(source + ": " + entry + ": " + expected);
    this.source = Objects.requireNonNull(source, "source");
    this.entry = Objects.requireNonNull(entry, "entry");
    this.expected = Objects.requireNonNull(expected, "expected");
  }

  /** Where the value came from: a file path, an environment variable, a command-line option. */
  public String source() {
    return source;
  }

  /** The key or entry that is wrong, with its value where that helps. */
  public String entry() {
    return entry;
  }

  /** What would have been accepted. */
  public String expected() {
    return expected;
  }
}
