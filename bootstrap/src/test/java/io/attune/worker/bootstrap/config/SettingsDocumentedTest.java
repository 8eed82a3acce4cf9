package io.attune.worker.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.testsupport.repository.RepositoryFiles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The settings table of docs/operations.md and the registry agree: every setting has a row, every variable and key
 * a row names is a setting's (in the same row as its partner), and the defaults are the same.
 */
class SettingsDocumentedTest {

  private static final Pattern QUOTED = Pattern.compile("`([^`]+)`");
  private static final String FILE = SecretFiles.SUFFIX;

  /** A row of the table: the variables and keys it names, and its default as written, without backticks. */
  record Row(String label, List<String> variables, List<String> keys, String defaultValue) {
  }

  @Test
  void every_setting_of_the_registry_has_a_row_with_its_variable_and_key_together() {
    List<Row> rows = rows();
    for (Setting setting : Settings.ALL) {
      Optional<Row> row = rows.stream().filter(r -> setting.variable().map(r.variables()::contains)
          .orElseGet(() -> r.keys().contains(setting.key().orElseThrow()))).findFirst();
      assertThat(row).as("docs/operations.md has a row for %s", setting.names()).isPresent();
      setting.key().ifPresent(key -> assertThat(row.get().keys()).as("the row of %s", setting.names()).contains(key));
      setting.variable().ifPresent(v -> assertThat(row.get().variables()).as("the row of %s", setting.names())
          .contains(v));
    }
  }

  @Test
  void every_variable_and_key_of_the_table_is_a_setting_of_the_registry() {
    Set<String> variables = new HashSet<>();
    Set<String> keys = new HashSet<>();
    Settings.ALL.forEach(s -> {
      s.variable().ifPresent(variables::add);
      s.variable().filter(v -> s.secretFile()).ifPresent(v -> variables.add(v + FILE));
      s.key().ifPresent(keys::add);
    });

    for (Row row : rows()) {
      assertThat(variables).as("the registry has the variables of the row '%s'", row.label())
          .containsAll(row.variables());
      assertThat(keys).as("the registry has the keys of the row '%s'", row.label()).containsAll(row.keys());
    }
    Set<String> settingVariables = new HashSet<>(Settings.ALL.stream().flatMap(s -> s.variable().stream()).toList());
    assertThat(rows().stream().flatMap(r -> r.variables().stream()).filter(v -> !settingVariables.contains(v)))
        .as("the secrets that may come from files").containsExactlyInAnyOrderElementsOf(SecretFiles.VARIABLES
            .stream().map(v -> v + FILE).toList());
  }

  @Test
  void every_default_in_the_table_is_the_registrys() {
    for (Row row : rows()) {
      for (Setting setting : Settings.ALL) {
        boolean inRow = setting.variable().map(row.variables()::contains).orElse(false)
            || setting.key().map(row.keys()::contains).orElse(false);
        if (inRow) {
          assertThat(row.defaultValue()).as("the default of %s in the row '%s'", setting.names(), row.label())
              .satisfiesAnyOf(d -> assertThat(d).isEqualTo(setting.defaultValue()),
                  d -> assertThat(d).startsWith(setting.defaultValue() + " ("));
        }
      }
    }
  }

  /** The rows of the table under "## Settings" that name a variable or a key (GPUs, for one, are probed). */
  private static List<Row> rows() {
    String text = RepositoryFiles.read(RepositoryFiles.root().resolve("docs/operations.md"));
    List<String> lines = text.substring(text.indexOf("\n## Settings\n")).lines().skip(1)
        .dropWhile(line -> !line.startsWith("|")).takeWhile(line -> line.startsWith("|")).skip(2).toList();
    assertThat(lines).as("the settings table of docs/operations.md").hasSizeGreaterThan(20);
    List<Row> rows = new ArrayList<>();
    for (String line : lines) {
      String[] cells = line.substring(1, line.length() - 1).split("\\|");
      List<String> variables = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      Matcher quoted = QUOTED.matcher(cells[1]);
      while (quoted.find()) {
        String name = quoted.group(1);
        if (name.matches("ATTUNE_[A-Z0-9_]+")) {
          variables.add(name);
        } else if (name.matches("[a-z][a-z_]*(\\.[a-z_]+)*")) {
          keys.add(name);
        }
      }
      if (!variables.isEmpty() || !keys.isEmpty()) {
        rows.add(new Row(cells[0].strip(), variables, keys, cells[2].replace("`", "").strip()));
      }
    }
    return rows;
  }
}
