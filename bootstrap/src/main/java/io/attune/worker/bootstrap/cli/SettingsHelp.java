package io.attune.worker.bootstrap.cli;

import io.attune.worker.bootstrap.config.Setting;
import io.attune.worker.bootstrap.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The settings section of {@code --help}, from {@link Settings}: the top command names every variable, each command
 * lists what it reads with the default, the values and what it does. Lines stay within 80 columns.
 */
final class SettingsHelp {

  static final String SECTION = "settings";
  private static final int WIDTH = 80;
  private static final String NL = System.lineSeparator();

  private SettingsHelp() {
  }

  /** Adds the section, before the footer, to the command and every command below it. */
  static void install(CommandLine command) {
    String name = topCommand(command);
    UsageMessageSpec usage = command.getCommandSpec().usageMessage();
    usage.sectionMap().put(SECTION, help -> name.isEmpty() ? everyVariable() : readBy(name));
    List<String> keys = new ArrayList<>(usage.sectionKeys());
    if (!keys.contains(SECTION)) {
      keys.add(keys.indexOf(UsageMessageSpec.SECTION_KEY_FOOTER_HEADING), SECTION);
      usage.sectionKeys(keys); // on this command only: CommandLine.setHelpSectionKeys would also set the subcommands'
    }
    command.getSubcommands().values().stream().distinct().forEach(SettingsHelp::install);
  }

  /** The command below {@code attune-worker} that this one is, or is part of ({@code workers} for workers prune). */
  private static String topCommand(CommandLine command) {
    String[] words = command.getCommandSpec().qualifiedName(" ").split(" ");
    return words.length > 1 ? words[1] : "";
  }

  private static String everyVariable() {
    StringBuilder text = new StringBuilder(NL);
    wrap("Settings: these environment variables, each winning over its key in the configuration file; "
        + "COMMAND --help lists those a command reads, docs/operations.md all of them:", "", "")
        .forEach(line -> text.append(line).append(NL));
    List<String> names = Settings.ALL.stream().flatMap(s -> s.variable().stream()).toList();
    wrap(String.join(", ", names) + ".", "  ", "  ").forEach(line -> text.append(line).append(NL));
    return text.toString();
  }

  private static String readBy(String command) {
    // the command's own settings first, then those of every command (the configuration file, the logs)
    List<Setting> settings = Stream.concat(Settings.readBy(command).stream().filter(s -> !s.isReadByEveryCommand()),
        Settings.readBy(command).stream().filter(Setting::isReadByEveryCommand)).toList();
    StringBuilder text = new StringBuilder(NL + "Settings (a variable wins over its key in the configuration file):"
        + NL);
    for (Setting setting : settings) {
      wrap(setting.names(), "  ", "    ").forEach(line -> text.append(line).append(NL));
      wrap(setting.doc() + " (default " + setting.defaultValue() + "; " + setting.form() + ")", "      ", "      ")
          .forEach(line -> text.append(line).append(NL));
    }
    return text.toString();
  }

  /** The words in lines of at most {@value #WIDTH} columns (a longer word alone on its line). */
  static List<String> wrap(String text, String firstIndent, String indent) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder(firstIndent);
    int start = firstIndent.length();
    for (String word : text.split(" ")) {
      if (line.length() > start && line.length() + 1 + word.length() > WIDTH) {
        lines.add(line.toString());
        line = new StringBuilder(indent);
        start = indent.length();
      }
      if (line.length() > start) {
        line.append(' ');
      }
      line.append(word);
    }
    lines.add(line.toString());
    return lines;
  }
}
