package io.attune.worker.bootstrap.config;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One setting, declared once in {@link Settings}: where it is read (an environment variable, a key of the
 * configuration file, or both, the variable winning), its default, the values it takes and what it does.
 *
 * @param label a short name, as the settings table of docs/operations.md shows it
 * @param variable the environment variable, when there is one
 * @param key the key in the configuration file, dotted from the top ({@code worker.heartbeat_interval_seconds}),
 *     when there is one
 * @param defaultValue the default as the documentation and {@code --help} show it
 * @param form the values it takes
 * @param doc what it does, in one line
 * @param commands the commands that read it; {@link #EVERY_COMMAND} for all of them
 * @param whole for a whole number: the range and default the loader checks and uses
 * @param secretFile whether {@code <variable>_FILE} may name a file holding the value ({@link SecretFiles})
 */
public record Setting(String label, Optional<String> variable, Optional<String> key, String defaultValue,
    String form, String doc, Set<String> commands, Optional<Whole> whole, boolean secretFile) {

  /** The command name that stands for every command. */
  public static final String EVERY_COMMAND = "*";

  public Setting {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(variable, "variable");
    Objects.requireNonNull(key, "key");
    if (variable.isEmpty() && key.isEmpty()) {
      throw new IllegalArgumentException(label + ": a setting needs a variable, a key or both");
    }
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(form, "form");
    Objects.requireNonNull(doc, "doc");
    commands = Set.copyOf(commands);
    Objects.requireNonNull(whole, "whole");
    if (secretFile && variable.isEmpty()) {
      throw new IllegalArgumentException(label + ": only a variable can come from a file");
    }
  }

  /** A setting read as text; {@code variable} or {@code key} is null when it has none. */
  static Setting text(String label, String variable, String key, String defaultValue, String form, String doc) {
    return new Setting(label, Optional.ofNullable(variable), Optional.ofNullable(key), defaultValue, form, doc,
        Set.of(EVERY_COMMAND), Optional.empty(), false);
  }

  /** A whole number; its default and form come from the range. */
  static Setting whole(String label, String variable, String key, Whole whole, String doc) {
    return new Setting(label, Optional.ofNullable(variable), Optional.ofNullable(key),
        Long.toString(whole.defaultValue()), whole.form(), doc, Set.of(EVERY_COMMAND), Optional.of(whole), false);
  }

  /** The same setting, read by these commands only. */
  Setting readBy(Set<String> names) {
    return new Setting(label, variable, key, defaultValue, form, doc, names, whole, secretFile);
  }

  /** The same setting, which may also come from the file named by {@code <variable>_FILE}. */
  Setting fromSecretFile() {
    return new Setting(label, variable, key, defaultValue, form, doc, commands, whole, true);
  }

  /** The same setting shown with another default and form (a number whose default another part fills in). */
  Setting shown(String shownDefault, String shownForm) {
    return new Setting(label, variable, key, shownDefault, shownForm, doc, commands, whole, secretFile);
  }

  /** The variable's name; for settings that have one. */
  public String variableName() {
    return variable.orElseThrow(() -> new IllegalStateException(label + " has no environment variable"));
  }

  /** The last part of the key: its name inside its section of the file. */
  public Optional<String> keyInSection() {
    return key.map(k -> k.substring(k.lastIndexOf('.') + 1));
  }

  /** Whether {@code --help} of the command lists it. */
  public boolean isReadBy(String command) {
    return isReadByEveryCommand() || commands.contains(command);
  }

  /** Whether every command reads it: the configuration file and the logs. */
  public boolean isReadByEveryCommand() {
    return commands.contains(EVERY_COMMAND);
  }

  /** Where it is read, as help and messages show it: the variable, the key, or both. */
  public String names() {
    return variable.map(v -> key.map(k -> v + ", " + k).orElse(v)).orElseGet(key::orElseThrow);
  }

  /**
   * A whole number's range and default, checked where it is read.
   *
   * @param min the smallest value, in the file and the environment
   * @param max the largest value in the file (an {@code int}, as the file's reader takes)
   * @param envMax the largest value in the environment, which for some settings was never capped
   * @param defaultValue the value when neither says otherwise
   * @param unit what is counted, for the form shown
   * @param expected what an error about the variable says was expected
   */
  public record Whole(long min, long max, long envMax, long defaultValue, String unit, String expected) {
    public Whole {
      if (min > max || max > envMax || max > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("bad range " + min + ".." + max + " (environment: .." + envMax + ")");
      }
      Objects.requireNonNull(unit, "unit");
      Objects.requireNonNull(expected, "expected");
    }

    /** Seconds from 1 to a day, any positive number in the environment: a time-out or an interval. */
    static Whole seconds(long defaultValue) {
      return new Whole(1, 86_400, Long.MAX_VALUE, defaultValue, "seconds", "expected a positive number of seconds");
    }

    /** A range that is the same in the file and the environment. */
    static Whole of(long min, long max, long defaultValue, String unit, String expected) {
      return new Whole(min, max, max, defaultValue, unit, expected);
    }

    /** The values as help and docs show them. */
    String form() {
      return (max >= Integer.MAX_VALUE ? "at least " + min : min + "-" + max) + " " + unit;
    }
  }
}
