package io.attune.worker.bootstrap.cli;

import io.attune.worker.adapter.local.packs.PacksDirectoryCatalog;
import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.config.ConfigLoader;
import io.attune.worker.bootstrap.output.Json;
import io.attune.worker.bootstrap.wiring.LocalMachine;
import io.attune.worker.bootstrap.wiring.Services;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ParameterCap;
import io.attune.worker.core.model.action.ParameterSpec;
import io.attune.worker.core.model.action.ParameterType;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.port.in.SubmitExecutionUseCase.Submission;
import io.attune.worker.core.service.SubmissionCheck;
import io.attune.worker.core.service.SubmitExecutionService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Requests an execution of an action, and optionally follows it to its end. */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = {"Request an execution of ACTION_REF (<pack>.<name> from ATTUNE_PACKS_DIR). Parameters are checked "
        + "against the action's declaration. With --wait, follow it to its end and print its status, worker, exit "
        + "code, output and result. The execution id is printed on standard error as soon as it is stored, and with "
        + "--wait each change of its status as it happens; standard output keeps the final result (or JSON) only.",
        "Exit status with --wait: 0 when the execution succeeded, 1 when it ended otherwise or did not end in time."},
    footer = {"", "Examples:", "  attune-worker submit demo.hello_python --param name=Ada --wait",
        "  attune-worker submit demo.add --params params.json --wait --json",
        "  echo '{\"a\": 2, \"b\": 3}' | attune-worker submit demo.add --params - --wait"})
final class SubmitCommand implements Callable<Integer> {

  @picocli.CommandLine.ParentCommand
  private AttuneCommand parent;

  @picocli.CommandLine.Mixin
  private Verbosity verbosity;

  @Parameters(index = "0", paramLabel = "ACTION_REF", description = "The action, e.g. demo.hello_python.")
  private String actionRef;

  @Option(names = "--param", paramLabel = "NAME=VALUE",
      description = "A parameter; the value is read as the declared type (JSON for objects and arrays).")
  private List<String> params = new ArrayList<>();

  @Option(names = {"--params", "--params-file"}, paramLabel = "FILE",
      description = "A JSON object of parameters, from a file or - for standard input (no 128 KiB limit of a "
          + "command-line argument); --param values are applied on top.")
  private String paramsFile;

  @Option(names = "--wait", description = "Follow the execution until it ends.")
  private boolean await;

  @Option(names = "--timeout", defaultValue = "600", paramLabel = "SECONDS",
      description = "With --wait, give up waiting after this long (default: ${DEFAULT-VALUE}).")
  private int timeoutSeconds;

  @Option(names = "--json", description = "Print one JSON object.")
  private boolean json;

  @Override
  public Integer call() throws InterruptedException {
    AttuneConfig config = parent.config();
    PacksDirectoryCatalog catalog = LocalMachine.catalog(config);
    ActionDefinition action = PackActions.find(config, catalog, actionRef);
    Map<String, Object> parameters = parameters(action);
    ParameterCap cap = new ParameterCap(config.maxParametersBytes());
    // bad input is refused before a database is touched (the service checks again, by the same rule): a NUL
    // character, for one, would otherwise reach PostgreSQL and come back as a failure (SQLSTATE 22P05)
    new SubmissionCheck(catalog, cap).refusal(actionRef, parameters).ifPresent(this::refuse);
    Clock clock = parent.clock();
    try (PostgresAdapter postgres = Services.postgres(config)) {
      Submission submission;
      try (BrokerOnDemand broker = new BrokerOnDemand(parent, "submit")) {
        submission = new SubmitExecutionService(catalog, postgres.executions(), postgres.clock(), cap, broker)
            .submit(actionRef, parameters);
      }
      if (!(submission instanceof Submission.Accepted accepted)) {
        refuse(submission);
        return AttuneCommand.FAILURE;
      }
      Execution execution = accepted.execution();
      parent.err().println("execution " + execution.id() + " submitted (" + execution.actionRef() + ")");
      // stored as requested: a scheduler's sweep finds it without the announcement
      accepted.notAnnounced().ifPresent(why -> parent.err().println("warning: execution " + execution.id()
          + " stored but not announced (" + why + "); a scheduler will still pick it up"));
      parent.err().flush();
      if (!await) {
        parent.out().println(json ? Json.write(Map.of("execution_id", execution.id().value(), "action", actionRef,
            "status", execution.status().wireName())) : "submitted execution " + execution.id() + " of " + actionRef);
        parent.out().flush();
        return 0;
      }
      ExecutionView view = new ExecutionView(postgres.directory());
      Execution ended = follow(postgres, view, execution, clock, Duration.ofSeconds(timeoutSeconds));
      print(view, ended);
      if (!ended.status().isTerminal()) {
        parent.err().println("execution " + ended.id() + " is still " + ended.status().wireName() + " after "
            + timeoutSeconds + " s");
        return AttuneCommand.FAILURE;
      }
      return ended.status() == ExecutionStatus.SUCCEEDED ? 0 : AttuneCommand.FAILURE;
    }
  }

  /** Where the parameters came from, for messages. */
  private String parametersSource() {
    return paramsFile != null ? "--params " + paramsFile : "--param";
  }

  /** A refused submission is bad input: exit status 2, naming the parameters' source and what was expected. */
  private void refuse(Submission refused) {
    if (refused instanceof Submission.TooLarge tooLarge) {
      throw new ConfigurationException(parametersSource(), "parameters of " + tooLarge.bytes() + " bytes",
          "expected at most " + tooLarge.maxBytes() + " bytes as JSON (" + ConfigLoader.MAX_PARAMETERS_BYTES
          + " or scheduler.max_parameters_bytes); pass large data by reference");
    }
    if (refused instanceof Submission.InvalidParameters invalid) {
      throw new ConfigurationException(parametersSource(), actionRef, String.join("; ", invalid.problems()));
    }
    throw new ConfigurationException("ACTION_REF", "'" + actionRef + "'", "expected one of "
        + ((Submission.UnknownAction) refused).known());
  }

  private Map<String, Object> parameters(ActionDefinition action) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    if (paramsFile != null) {
      Object tree = paramsFile.equals("-") ? Json.read(parent.in(), "standard input (--params -)")
          : Json.read(Path.of(paramsFile));
      if (!(tree instanceof Map<?, ?> map)) {
        throw new ConfigurationException(paramsFile.equals("-") ? "standard input" : paramsFile, "document",
            "expected a JSON object of parameters");
      }
      map.forEach((k, v) -> parameters.put(String.valueOf(k), v));
    }
    for (String param : params) {
      int eq = param.indexOf('=');
      if (eq <= 0) {
        throw new ConfigurationException("--param", "'" + param + "'", "expected NAME=VALUE");
      }
      String name = param.substring(0, eq);
      String text = param.substring(eq + 1);
      ParameterSpec spec = action.parameters().get(name);
      parameters.put(name, spec == null ? text : typed(spec, text));
    }
    return parameters;
  }

  private static Object typed(ParameterSpec spec, String text) {
    if (spec.type() == ParameterType.OBJECT || spec.type() == ParameterType.ARRAY) {
      return Json.parse(text, "--param " + spec.name());
    }
    return spec.type().fromText(text).orElseThrow(() -> new ConfigurationException("--param",
        spec.name() + "='" + text + "'", "expected " + spec.type().withArticle()));
  }

  /** Polls the execution until it ends or the time is up, telling each step on standard error. */
  private Execution follow(PostgresAdapter postgres, ExecutionView view, Execution execution, Clock clock,
      Duration timeout) throws InterruptedException {
    Progress progress = new Progress(view);
    return Following.untilEnded(postgres.executions(), execution, clock, timeout, current -> {
      progress.since(current).forEach(parent.err()::println);
      parent.err().flush();
    });
  }

  private void print(ExecutionView view, Execution execution) {
    String worker = view.workerName(execution.worker());
    ExecutionResult result = execution.result().orElse(ExecutionResult.message(""));
    if (json) {
      parent.out().println(Json.write(view.ended(execution)));
    } else {
      parent.out().println("execution " + execution.id() + " of " + execution.actionRef() + ": "
          + execution.status().wireName() + (worker == null ? "" : " on " + worker) + " (attempt "
          + execution.attempt() + ")" + (result.message().isEmpty() ? "" : ": " + result.message()));
      if (!result.stdout().isEmpty()) {
        parent.out().println("--- stdout\n" + result.stdout().stripTrailing());
      }
      if (!result.stderr().isEmpty()) {
        parent.out().println("--- stderr\n" + result.stderr().stripTrailing());
      }
      result.structured().ifPresent(r -> parent.out().println("--- result\n" + Json.write(r)));
    }
    parent.out().flush();
  }
}
