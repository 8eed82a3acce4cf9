package io.attune.worker.bootstrap.cli;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.bootstrap.output.Json;
import io.attune.worker.bootstrap.output.Table;
import io.attune.worker.bootstrap.wiring.Services;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionQuery;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Lists executions, newest first. */
@Command(name = "executions", mixinStandardHelpOptions = true,
    description = "List executions, newest first: id, action, status, worker, attempt and times.",
    subcommands = ExecutionsCommand.Show.class,
    footer = {"", "Examples:", "  attune-worker executions",
        "  attune-worker executions --status running --action demo.hello_python --limit 5",
        "  attune-worker executions show 42"})
final class ExecutionsCommand implements Callable<Integer> {

  /** How many executions are listed unless --limit says otherwise. */
  static final int DEFAULT_LIMIT = 20;

  @picocli.CommandLine.ParentCommand
  private AttuneCommand parent;

  @picocli.CommandLine.Mixin
  private Verbosity verbosity;

  @Option(names = "--status", paramLabel = "STATUS",
      description = "Only executions in this status: requested, scheduled, running, succeeded, failed, timed_out, "
          + "cancelled, abandoned or unschedulable.")
  private String status;

  @Option(names = "--action", paramLabel = "REF", description = "Only executions of this action (<pack>.<name>).")
  private String action;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "" + DEFAULT_LIMIT,
      description = "At most this many, from 1 to " + ExecutionQuery.MAX_LIMIT + " (default: ${DEFAULT-VALUE}).")
  private int limit;

  @Option(names = "--json", description = "Print a JSON array.")
  private boolean json;

  @Override
  public Integer call() {
    ExecutionQuery query = new ExecutionQuery(Optional.ofNullable(status).map(ExecutionsCommand::parseStatus),
        Optional.ofNullable(action).map(ExecutionsCommand::parseAction), checkedLimit(limit));
    try (PostgresAdapter postgres = Services.postgres(parent.config())) {
      List<Execution> found = postgres.executions().list(query);
      ExecutionView view = new ExecutionView(postgres.directory());
      if (json) {
        parent.out().println(Json.write(found.stream().map(view::summary).toList()));
      } else if (found.isEmpty()) {
        parent.out().println("no execution" + (status == null && action == null ? "" : " matches"));
      } else {
        Table table = new Table("ID", "ACTION", "STATUS", "WORKER", "ATTEMPT", "REQUESTED", "ENDED", "MESSAGE");
        for (Execution e : found) {
          table.row(e.id(), e.actionRef(), e.status().wireName() + (e.cancelPending() ? " (cancelling)" : ""),
              view.workerName(e.worker()), e.attempt(), ExecutionView.time(e.requestedAt()),
              e.endedAt().map(ExecutionView::time).orElse("-"),
              e.result().map(ExecutionResult::message).map(ExecutionsCommand::oneLine).orElse("-"));
        }
        parent.out().print(table);
      }
      parent.out().flush();
    }
    return 0;
  }

  static ExecutionStatus parseStatus(String text) {
    return ExecutionStatus.parse(text).orElseThrow(() -> new ConfigurationException("--status", "'" + text + "'",
        "expected one of " + Arrays.stream(ExecutionStatus.values()).map(ExecutionStatus::wireName)
            .collect(Collectors.joining(", "))));
  }

  private static ActionRef parseAction(String text) {
    try {
      return ActionRef.parse(text);
    } catch (IllegalArgumentException bad) {
      throw new ConfigurationException("--action", "'" + text + "'", "expected an action reference <pack>.<name>, "
          + "e.g. demo.hello_python");
    }
  }

  private static int checkedLimit(int limit) {
    if (limit < 1 || limit > ExecutionQuery.MAX_LIMIT) {
      throw new ConfigurationException("--limit", Integer.toString(limit), "expected a number from 1 to "
          + ExecutionQuery.MAX_LIMIT);
    }
    return limit;
  }

  private static String oneLine(String message) {
    String line = message.lines().findFirst().orElse("");
    return line.isEmpty() ? "-" : line.length() > 60 ? line.substring(0, 57) + "..." : line;
  }

  /** Shows one execution with its attempts. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = {"Show one execution: status, worker, exit code, output, result (the explanation when it is "
          + "unschedulable), and every attempt with its worker, times and outcome.",
          "Exit status: 0 when shown, 1 when there is no execution with this id, 2 for a malformed id."},
      footer = {"", "Examples:", "  attune-worker executions show 42", "  attune-worker executions show 42 --json"})
  static final class Show implements Callable<Integer> {

    @picocli.CommandLine.ParentCommand
    private ExecutionsCommand executions;

    @picocli.CommandLine.Mixin
    private Verbosity verbosity;

    @Parameters(index = "0", paramLabel = "ID", description = "The execution id, as submit prints it.")
    private String id;

    @Option(names = "--json", description = "Print one JSON object: the submit --wait --json object plus "
        + "requested_at, started_at, ended_at, cancel_requested_at and attempts.")
    private boolean json;

    @Override
    public Integer call() {
      AttuneCommand parent = executions.parent;
      ExecutionId executionId = ExecutionView.parseId(id);
      try (PostgresAdapter postgres = Services.postgres(parent.config())) {
        Optional<Execution> found = postgres.executions().find(executionId);
        if (found.isEmpty()) {
          parent.err().println("executions show: no execution " + executionId);
          return AttuneCommand.FAILURE;
        }
        ExecutionView view = new ExecutionView(postgres.directory());
        if (json) {
          parent.out().println(Json.write(view.detailed(found.get())));
        } else {
          print(parent, view, found.get());
        }
        parent.out().flush();
      }
      return 0;
    }

    private static void print(AttuneCommand parent, ExecutionView view, Execution e) {
      ExecutionResult result = e.result().orElse(ExecutionResult.message(""));
      String worker = view.workerName(e.worker());
      parent.out().println("execution " + e.id() + " of " + e.actionRef() + ": " + e.status().wireName()
          + (worker == null ? "" : " on " + worker) + " (attempt " + e.attempt() + ")");
      parent.out().println("  requested  " + e.requestedAt());
      e.startedAt().ifPresent(t -> parent.out().println("  started    " + t));
      e.endedAt().ifPresent(t -> parent.out().println("  ended      " + t));
      e.cancelRequestedAt().ifPresent(t -> parent.out().println("  cancel requested " + t
          + (e.status().isTerminal() ? "" : ": its worker is ending it")));
      result.exitCode().ifPresent(code -> parent.out().println("  exit code  " + code));
      if (!result.message().isEmpty()) {
        parent.out().println("  message    " + result.message());
      }
      if (!e.attempts().isEmpty()) {
        Table attempts = new Table("ATTEMPT", "WORKER", "SCHEDULED", "STARTED", "ENDED", "OUTCOME", "REASON");
        view.attemptRows(e).forEach(attempts::row);
        parent.out().println("attempts:");
        parent.out().print(attempts.toString().indent(2));
      }
      if (!result.stdout().isEmpty()) {
        parent.out().println("--- stdout\n" + result.stdout().stripTrailing());
      }
      if (!result.stderr().isEmpty()) {
        parent.out().println("--- stderr\n" + result.stderr().stripTrailing());
      }
      result.structured().ifPresent(r -> parent.out().println("--- result\n" + Json.write(r)));
    }
  }
}
