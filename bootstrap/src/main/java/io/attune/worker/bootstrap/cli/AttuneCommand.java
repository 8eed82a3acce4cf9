package io.attune.worker.bootstrap.cli;

import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.logging.Logging;
import io.attune.worker.bootstrap.config.ConfigLoader;
import io.attune.worker.bootstrap.config.SecretFiles;
import io.attune.worker.core.error.AttuneException;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.capability.WorkerVersion;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level {@code attune-worker} command; its subcommands are the user-facing operations. */
@Command(name = AttuneCommand.NAME, mixinStandardHelpOptions = true, versionProvider = AttuneCommand.Version.class,
    description = "Capability-aware workers and a scheduler that sends each action only to a worker that can run it.",
    footer = {"", "Exit status: 0 success, 2 bad input or configuration, 1 other failures.",
        "Every command takes --help and --version. Client commands (submit, executions,",
        "cancel, workers, cordon, uncordon, explain, capabilities) take --verbose to",
        "also print the services' connection logs. See docs/cli.md."},
    subcommands = {CapabilitiesCommand.class, ExplainCommand.class, DemoCommand.class, RunCommand.class,
        SchedulerCommand.class, SubmitCommand.class, ExecutionsCommand.class, CancelCommand.class,
        WorkersCommand.class, CordonCommand.Cordon.class,
        CordonCommand.Uncordon.class, MigrateCommand.class, InitUserCommand.class, HealthCommand.class,
        CompletionCommand.class})
public final class AttuneCommand implements Callable<Integer> {

  /** The command's name, as usage and completion show it. */
  public static final String NAME = "attune-worker";

  private static final Logger LOG = LoggerFactory.getLogger(AttuneCommand.class);

  /** Exit status for bad input or configuration. */
  public static final int BAD_INPUT = 2;
  /** Exit status for other failures. */
  public static final int FAILURE = 1;

  private final Map<String, String> environment;
  private final InputStream in;
  private final PrintWriter out;
  private final PrintWriter err;
  /** The one clock of a command: roles, wiring and adapters read the time through it. */
  private final Clock clock = Clock.systemUTC();

  @Option(names = "--config", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
      description = "YAML or JSON configuration file (default: $ATTUNE_CONFIG).")
  private Path configFile;

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  AttuneCommand(Map<String, String> environment, InputStream in, PrintWriter out, PrintWriter err) {
    this.environment = Map.copyOf(environment);
    this.in = in;
    this.out = out;
    this.err = err;
  }

  /**
   * A command line wired to the given environment and streams, with exit codes mapped. Every command, whoever adds
   * it, gets {@code --help} and {@code --version}, and its help lists the settings it reads; a client command's
   * {@code --verbose} is applied to the logs before it runs.
   */
  public static CommandLine commandLine(Map<String, String> environment, InputStream in, PrintWriter out,
      PrintWriter err) {
    CommandLine line = new CommandLine(new AttuneCommand(environment, in, out, err));
    withStandardOptions(line);
    SettingsHelp.install(line);
    line.setOut(out);
    line.setErr(err);
    line.setExecutionStrategy(parsed -> {
      verbosityOf(parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1))
          .ifPresent(v -> Logging.forClientCommand(v.verbose()));
      return new CommandLine.RunLast().execute(parsed);
    });
    line.setExecutionExceptionHandler((failure, command, parsed) -> {
      if (failure instanceof ConfigurationException bad) {
        err.println(command.getCommandName() + ": " + bad.getMessage());
        return BAD_INPUT;
      }
      if (failure instanceof AttuneException known) {
        err.println(command.getCommandName() + ": " + known.getMessage());
        return FAILURE;
      }
      err.println(command.getCommandName() + ": unexpected failure: " + failure);
      // the stack trace through the logs: one JSON object with ATTUNE_LOG_FORMAT=json, and in the log file
      LOG.error("{}: unexpected failure", command.getCommandName(), failure);
      return FAILURE;
    });
    return line;
  }

  /** {@code --help} and {@code --version} (this build's) on the command and every subcommand below it. */
  private static void withStandardOptions(CommandLine command) {
    CommandLine.Model.CommandSpec spec = command.getCommandSpec();
    if (!spec.mixinStandardHelpOptions()) {
      spec.mixinStandardHelpOptions(true);
    }
    spec.versionProvider(new Version());
    command.getSubcommands().values().forEach(AttuneCommand::withStandardOptions);
  }

  /** The command's {@code --verbose}, when it is a client command that has one. */
  private static Optional<Verbosity> verbosityOf(CommandLine command) {
    return command.getCommandSpec().mixins().values().stream().map(CommandLine.Model.CommandSpec::userObject)
        .filter(Verbosity.class::isInstance).map(Verbosity.class::cast).findFirst();
  }

  /** {@code attune-worker <version>}, the version the build took from the POM. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {NAME + " " + WorkerVersion.current()};
    }
  }

  /** No command: what there is to run, on standard error, and the status of bad input. */
  @Override
  public Integer call() {
    err.println("attune-worker: a command is required");
    spec.commandLine().usage(err);
    err.flush();
    return BAD_INPUT;
  }

  /**
   * The process environment with the secrets given as files read in ({@link SecretFiles}).
   *
   * @throws io.attune.worker.core.error.ConfigurationException naming a secret file that cannot be read
   */
  Map<String, String> environment() {
    return SecretFiles.resolve(environment);
  }

  /** Standard input, for {@code -} in place of a file. */
  InputStream in() {
    return in;
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  /** The one clock of the command's run, so no subcommand reads the time on its own. */
  Clock clock() {
    return clock;
  }

  /** Loads the configuration: --config, else ATTUNE_CONFIG, else the environment alone. */
  AttuneConfig config() {
    return new ConfigLoader(environment()).load(Optional.ofNullable(configFile));
  }
}
