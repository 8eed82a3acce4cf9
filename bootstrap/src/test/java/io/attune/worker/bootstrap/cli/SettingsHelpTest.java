package io.attune.worker.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.bootstrap.config.Setting;
import io.attune.worker.bootstrap.config.Settings;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code --help} lists the settings from the registry: all variables at the top, each command what it reads. */
class SettingsHelpTest {

  @Test
  void the_top_help_names_every_variable_of_the_registry() {
    String help = CliRun.of(Map.of(), "--help").out();

    for (Setting setting : Settings.ALL) {
      setting.variable().ifPresent(variable -> assertThat(help).contains(variable));
    }
  }

  @Test
  void a_commands_help_lists_each_setting_it_reads_with_its_default_and_nothing_it_does_not() {
    // as one line: a description may wrap anywhere
    String run = CliRun.of(Map.of(), "run", "--help").out().replaceAll("\\s+", " ");
    String scheduler = CliRun.of(Map.of(), "scheduler", "--help").out().replaceAll("\\s+", " ");

    assertThat(run).contains("ATTUNE_HEARTBEAT_INTERVAL_SECONDS, worker.heartbeat_interval_seconds")
        .contains("(default 30; 1-86400 seconds)").contains("ATTUNE_LOG_LEVEL")
        .doesNotContain("ATTUNE_SWEEP_CONCURRENCY");
    assertThat(scheduler).contains("ATTUNE_SWEEP_CONCURRENCY, scheduler.sweep_concurrency")
        .contains("(default 4; 1-64 placements)").doesNotContain("ATTUNE_HEARTBEAT_INTERVAL_SECONDS");
    assertThat(CliRun.of(Map.of(), "workers", "prune", "--help").out()).contains("ATTUNE_DATABASE_URL");
  }

  @Test
  void every_settings_line_fits_80_columns() {
    for (String command : commandNames()) {
      String help = CliRun.of(Map.of(), command, "--help").out();
      String settings = help.substring(help.indexOf("Settings"));
      assertThat(settings.lines()).as(command).allMatch(line -> line.length() <= 80);
    }
  }

  @Test
  void the_registry_names_only_commands_that_exist() {
    Set<String> named = Settings.ALL.stream().flatMap(s -> s.commands().stream())
        .filter(name -> !name.equals(Setting.EVERY_COMMAND)).collect(Collectors.toSet());

    assertThat(commandNames()).containsAll(named);
  }

  private static Set<String> commandNames() {
    PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
    return AttuneCommand.commandLine(Map.of(), InputStream.nullInputStream(), nowhere, nowhere).getSubcommands()
        .keySet();
  }
}
