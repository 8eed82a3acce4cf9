package io.attune.worker.bootstrap.config;

import io.attune.worker.core.error.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Secrets from files, the Docker and Kubernetes secrets convention:
 * {@code ATTUNE_DATABASE_PASSWORD_FILE=/run/secrets/db} stands for {@code ATTUNE_DATABASE_PASSWORD} with the file's
 * content (trailing line breaks removed), and wins over it. So a secret need not sit in the process environment, where every process of the same user that can read
 * {@code /proc/<pid>/environ} finds it.
 */
public final class SecretFiles {

  /** The variables that may come from a file: credentials, and the URLs that may carry them. */
  public static final List<String> VARIABLES = Settings.ALL.stream().filter(Setting::secretFile)
      .map(Setting::variableName).toList();

  /** The suffix that names the file form of a variable. */
  public static final String SUFFIX = "_FILE";

  private SecretFiles() {
  }

  /**
   * The environment with every secret given as a file read into its variable; the {@code _FILE} variables stay.
   *
   * @throws ConfigurationException naming the variable and the file when it cannot be read
   */
  public static Map<String, String> resolve(Map<String, String> environment) {
    Map<String, String> resolved = new HashMap<>(environment);
    for (String variable : VARIABLES) {
      String file = environment.get(variable + SUFFIX);
      if (file == null || file.isBlank()) {
        continue;
      }
      resolved.put(variable, read(variable + SUFFIX, Path.of(file.strip())));
    }
    return Map.copyOf(resolved);
  }

  private static String read(String variable, Path file) {
    try {
      String content = Files.readString(file, StandardCharsets.UTF_8);
      // `echo secret > file` and editors end the file with a line break that is no part of the secret
      return content.replaceAll("[\\r\\n]+$", "");
    } catch (IOException | RuntimeException unreadable) {
      throw new ConfigurationException("environment", variable + "=" + file, "a readable file holding the secret ("
          + unreadable.getClass().getSimpleName() + (unreadable.getMessage() == null ? "" : ": "
          + unreadable.getMessage()) + ")");
    }
  }
}
