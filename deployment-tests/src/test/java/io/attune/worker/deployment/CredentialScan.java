package io.attune.worker.deployment;

import io.attune.worker.testsupport.repository.ComposeFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks through deployment files for credentials other than the documented defaults.
 *
 * <p>Two shapes are caught: a password-like key given a value ({@code POSTGRES_PASSWORD: x}, {@code
 * ATTUNE_DATABASE_PASSWORD=x}) and a URL carrying a password ({@code amqp://user:x@host}). A value that is
 * an interpolation ({@code ${VAR:-default}}) is judged by its default, which is what runs when nobody
 * overrides it. In compose files a password must be an interpolation, so an operator can override it
 * without editing the file. Placeholders in documentation ({@code <your password>}, {@code $(cat file)})
 * are not values.
 */
final class CredentialScan {

  /** PostgreSQL and RabbitMQ attune/attune, the default user test@attune.local / TestPass123!. */
  static final Set<String> DOCUMENTED_DEFAULTS = Set.of("attune", "TestPass123!");

  private static final String UPPER_NAME =
      "[A-Z0-9_]*(?:PASSWORD|PASSWD|_PASS|SECRET|TOKEN|API_?KEY|PRIVATE_KEY|CREDENTIALS?)[A-Z0-9_]*";
  private static final String LOWER_NAME =
      "[a-z0-9_]*(?:password|passwd|_pass|secret|token|api_?key|private_key|credentials?)[a-z0-9_]*";
  private static final String VALUE = "\\b[\"']?[ \\t]*[:=][ \\t]*[\"']?([^\\s\"',\\]]*)";

  /** Names in the styles of environment variables and configuration keys. */
  static final Pattern SECRET_NAME = Pattern.compile(UPPER_NAME + "|" + LOWER_NAME);
  /**
   * An environment-style name given a value, anywhere on a line; a name inside ${...} is a variable reference,
   * not an assignment. Lower-case configuration keys count only where a key stands, at the start of a line, so
   * prose such as "no credential: ..." is not taken for one.
   */
  private static final Pattern ASSIGNMENT = Pattern.compile(
      "(?<![{$\\w])(" + UPPER_NAME + ")" + VALUE + "|^[ \\t]*(?:- )?(" + LOWER_NAME + ")" + VALUE);
  private static final Pattern URL_PASSWORD = Pattern.compile(
      "\\b([a-zA-Z][a-zA-Z0-9+.-]*)://([^\\s/:@\"']+):([^\\s/@\"']+)@");

  private CredentialScan() {
  }

  /** One finding per offending line: {@code file:line: what is wrong}. */
  static List<String> findings(String fileName, String text, boolean interpolationRequired) {
    List<String> findings = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      String where = fileName + ":" + (n + 1) + ": ";
      Matcher assignment = ASSIGNMENT.matcher(line);
      while (assignment.find()) {
        boolean upper = assignment.group(1) != null;
        String key = upper ? assignment.group(1) : assignment.group(3);
        String value = upper ? assignment.group(2) : assignment.group(4);
        if (value.isEmpty() || isPlaceholder(value)) {
          continue;
        }
        boolean interpolated = value.startsWith("$");
        String effective = interpolated ? ComposeFile.withDefaults(value) : value;
        if (!effective.isEmpty() && !DOCUMENTED_DEFAULTS.contains(effective)) {
          findings.add(where + key + " is given " + masked(effective)
              + ", which is not a documented default (expected one of " + DOCUMENTED_DEFAULTS
              + ", or a ${VAR} the operator sets)");
        } else if (interpolationRequired && !interpolated) {
          findings.add(where + key + " is written as a literal; expected ${" + key + ":-" + value
              + "} or similar, so it can be overridden without editing the file");
        }
      }
      Matcher url = URL_PASSWORD.matcher(ComposeFile.withDefaults(line));
      while (url.find()) {
        String password = url.group(3);
        if (!DOCUMENTED_DEFAULTS.contains(password)) {
          findings.add(where + "a " + url.group(1) + " URL carries the password " + masked(password)
              + ", which is not a documented default (expected one of " + DOCUMENTED_DEFAULTS + ")");
        }
      }
    }
    return findings;
  }

  /** {@code <your password>}, {@code $(cat secret-file)}: text that stands for a value the reader supplies. */
  static boolean isPlaceholder(String value) {
    return value.startsWith("<") || value.startsWith("$(") || value.equals("...");
  }

  /** Enough to find the value in the file, not enough to use it. */
  static String masked(String secret) {
    return "'" + secret.charAt(0) + "*".repeat(secret.length() - 1) + "' (" + secret.length() + " characters)";
  }
}
