package io.attune.worker.bootstrap.config;

import io.attune.worker.bootstrap.config.Setting.Whole;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.tree.TreeReader;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@link Setting}: its variable when set, else its key in the file's section, else its default. A value
 * out of range is an error naming the variable (with what the setting expects) or the file and the key.
 */
final class SettingReader {

  private final Map<String, String> environment;

  SettingReader(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** The variable's value, when it is set and not empty. */
  Optional<String> env(String variable) {
    return Optional.ofNullable(environment.get(variable)).filter(v -> !v.isEmpty());
  }

  /** Whether the setting's variable is set, so that it wins and an error names it rather than the key. */
  boolean fromEnvironment(Setting setting) {
    return setting.variable().flatMap(this::env).isPresent();
  }

  /** The setting as text: from its variable, else from its key in {@code section}. */
  Optional<String> text(Setting setting, TreeReader section) {
    return setting.variable().flatMap(this::env).or(() -> setting.keyInSection().flatMap(section::string));
  }

  /** The setting as a whole number: from its variable, else from its key in {@code section}, else its default. */
  long whole(Setting setting, TreeReader section) {
    Whole range = setting.whole().orElseThrow(() -> new IllegalArgumentException(setting.label() + " is no number"));
    return envWhole(setting, range).orElseGet(() -> setting.keyInSection()
        .flatMap(key -> section.integer(key, range.min(), range.max())).map(Integer::longValue)
        .orElse(range.defaultValue()));
  }

  private Optional<Long> envWhole(Setting setting, Whole range) {
    Optional<String> text = setting.variable().flatMap(this::env);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      long value = Long.parseLong(text.get().trim());
      if (value >= range.min() && value <= range.envMax()) {
        return Optional.of(value);
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new ConfigurationException("environment", setting.variableName() + "='" + text.get() + "'",
        range.expected());
  }
}
