package io.attune.worker.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What holds for every command: --version, --help that reads well at 80 columns, usage without a command. */
class CommandLineConventionsTest {

  private static final String POM_VERSION = System.getProperty("attune.pom.version");

  @Test
  void every_command_prints_the_builds_version() {
    List<List<String>> paths = commandPaths();
    assertThat(paths).as("the whole tree, nested commands included").contains(List.of("workers", "prune"),
        List.of("run"), List.of("completion"));

    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--version");
      CliRun run = CliRun.of(Map.of(), args.toArray(String[]::new));
      assertThat(run.status()).as(String.join(" ", args)).isZero();
      assertThat(run.out().strip()).as(String.join(" ", args)).isEqualTo("attune-worker " + POM_VERSION);
    }
  }

  @Test
  void no_command_prints_the_usage_on_standard_error_and_exits_2() {
    CliRun run = CliRun.of(Map.of());

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("a command is required").contains("Usage: attune-worker")
        .contains("completion");
  }

  @Test
  void every_help_example_stays_on_its_line_at_80_columns_and_formats_without_a_warning() {
    ByteArrayOutputStream picocliWarnings = new ByteArrayOutputStream();
    PrintStream standardError = System.err;
    List<String> examples = new ArrayList<>();
    try {
      System.setErr(new PrintStream(picocliWarnings, true, StandardCharsets.UTF_8));
      for (CommandLine command : commands()) {
        StringWriter help = new StringWriter();
        command.usage(new PrintWriter(help, true), CommandLine.Help.Ansi.OFF);
        List<String> rendered = help.toString().lines().toList();
        for (String line : command.getCommandSpec().usageMessage().footer()) {
          if (!line.startsWith("  ")) {
            continue;
          }
          String shown = String.format(line); // what picocli prints: %% is one %
          examples.add(shown);
          assertThat(shown.length()).as("%s: %s", command.getCommandName(), shown).isLessThanOrEqualTo(80);
          assertThat(rendered).as("%s --help shows the example whole: %s", command.getCommandName(), shown)
              .contains(shown);
        }
      }
    } finally {
      System.setErr(standardError);
    }
    assertThat(examples).as("the examples checked").hasSizeGreaterThan(10)
        .contains("  ATTUNE_MQ_URL=amqp://attune:attune@mq:5672/%2F attune-worker run");
    assertThat(picocliWarnings.toString(StandardCharsets.UTF_8)).doesNotContain("[picocli WARN]");
  }

  @Test
  void an_example_broken_over_lines_continues_with_a_trailing_backslash() {
    for (CommandLine command : commands()) {
      String[] footer = command.getCommandSpec().usageMessage().footer();
      for (int i = 1; i < footer.length; i++) {
        if (footer[i].startsWith("    ")) {
          assertThat(footer[i - 1]).as("%s: the line before %s", command.getCommandName(), footer[i]).endsWith(" \\");
        }
      }
    }
  }

  @Test
  void the_completion_script_completes_commands_subcommands_and_options_in_bash(@TempDir Path dir)
      throws Exception {
    CliRun completion = CliRun.of(Map.of(), "completion");
    assertThat(completion.status()).isZero();
    Path script = Files.writeString(dir.resolve("attune-worker.bash"), completion.out());

    // as a user sources it: source <(java -jar attune-worker.jar completion); then what TAB would offer
    String probe = """
        source <(cat "$1") || exit 3
        complete -p attune-worker || exit 4
        offer() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE};
          COMPREPLY=(); _complete_attune-worker 2>/dev/null; echo "$*: ${COMPREPLY[*]}"; }
        offer attune-worker wor
        offer attune-worker submit --w
        offer attune-worker workers pr
        offer attune-worker --ver
        """;
    Process bash = new ProcessBuilder("bash", "-c", probe, "bash", script.toString()).redirectErrorStream(true)
        .start();
    bash.getOutputStream().close();
    String said = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(bash.exitValue()).as(said).isZero();
    assertThat(said).contains("complete -o default -F _complete_attune-worker attune-worker")
        .contains("attune-worker wor: workers")
        .contains("attune-worker submit --w: --wait")
        .contains("attune-worker workers pr: prune")
        .contains("attune-worker --ver: --version");
  }

  @Test
  void a_worker_name_with_a_space_inside_is_refused_naming_the_variable() {
    CliRun run = CliRun.of(Map.of("ATTUNE_WORKER_NAME", "w 1", "ATTUNE_WORKER_RUNTIMES", "shell"),
        "capabilities");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("ATTUNE_WORKER_NAME='w 1'").contains("whitespace or a control character")
        .contains("letters, digits");
  }

  @Test
  void a_worker_name_with_spaces_around_it_is_trimmed() {
    CliRun run = CliRun.of(Map.of("ATTUNE_WORKER_NAME", "  w-1 \n", "ATTUNE_WORKER_RUNTIMES", "shell",
        "PATH", "/nonexistent"), "capabilities", "--json");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("\"name\" : \"w-1\"");
  }

  private static List<CommandLine> commands() {
    CommandLine root = AttuneCommand.commandLine(Map.of(), new ByteArrayInputStream(new byte[0]),
        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    List<CommandLine> all = new ArrayList<>();
    collect(root, all);
    return all;
  }

  private static void collect(CommandLine command, List<CommandLine> into) {
    into.add(command);
    command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
  }

  /** Every command as the words that name it, the root as the empty list. */
  private static List<List<String>> commandPaths() {
    List<List<String>> paths = new ArrayList<>();
    for (CommandLine command : commands()) {
      List<String> words = new ArrayList<>(Arrays.asList(command.getCommandSpec().qualifiedName(" ").split(" ")));
      words.remove(0); // attune-worker itself
      paths.add(words);
    }
    return paths;
  }

}
