package io.attune.worker.bootstrap.cli;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.bootstrap.config.ConfigLoader;
import io.attune.worker.bootstrap.output.Json;
import io.attune.worker.bootstrap.output.Table;
import io.attune.worker.bootstrap.wiring.Services;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.placement.PlacementExplanations;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.placement.PlacementReport;
import io.attune.worker.core.model.placement.WorkerAssessment;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.rule.Rejection;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Placement explained: which workers would take this action, and why not the others. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = {"Place an action on a set of workers and explain every rejection, without running anything.",
        "The action is ACTION_REF from the packs folder or --action FILE. The workers are --workers FILE (or - for "
            + "standard input), else the workers registered right now in the configured database "
            + "(ATTUNE_DATABASE_URL).",
        "Every worker is checked against every rule; the last tie is broken by name."},
    footer = {"", "Outcome: selected, wait (only busy/stale/inactive/cordoned workers could run it) or unschedulable.",
        "", "Examples:", "  attune-worker explain demo.hello_python",
        "  attune-worker explain --workers docs/examples/workers.json \\",
        "    --action docs/examples/action-python.json --now 2026-01-01T00:00:30Z --json",
        "  attune-worker workers --json \\",
        "    | attune-worker explain --workers - --action action.json",
        "  attune-worker explain --workers docs/examples/workers.json \\",
        "    --action docs/examples/action-sticky.json --previous-worker worker-b \\",
        "    --now 2026-01-01T00:00:30Z"})
final class ExplainCommand implements Runnable {

  @ParentCommand
  private AttuneCommand parent;

  @picocli.CommandLine.Mixin
  private Verbosity verbosity;

  @Parameters(index = "0", arity = "0..1", paramLabel = "ACTION_REF",
      description = "The action <pack>.<name> from the packs folder (ATTUNE_PACKS_DIR), e.g. demo.hello_python.")
  private String actionRef;

  @Option(names = "--workers", paramLabel = "FILE",
      description = "JSON array of workers: {name, status, cordoned, last_heartbeat, heartbeat_interval_seconds, "
          + "running, capabilities}, or - for standard input; the output of workers --json is such an array. "
          + "Default: the workers registered in the configured database.")
  private String workersFile;

  @Option(names = "--action", paramLabel = "FILE",
      description = "JSON action: {ref, runtime, runtime_version, required_runtimes, selector, tolerations, "
          + "affinity, prefer_previous_worker}; instead of ACTION_REF.")
  private Path actionFile;

  @Option(names = "--now", paramLabel = "INSTANT",
      description = "Evaluate heartbeats at this ISO-8601 instant (default: the current time; the database's for "
          + "registered workers).")
  private String now;

  @Option(names = "--previous-worker", paramLabel = "NAME",
      description = "With --workers: the worker that last ran the action successfully, for an action with "
          + "placement.prefer_previous_worker (its score gets the preference's weight). Against the database the "
          + "worker of the action's most recent succeeded execution is used.")
  private String previousWorker;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  private boolean json;

  @Override
  public void run() {
    requireAnActionSource();
    requireAWorkersSource();
    ActionRequirements action = actionFile != null ? ExplainInput.action(actionFile)
        : PackActions.find(parent.config(), actionRef).requirements();
    PlacementReport report = workersFile != null ? explainAgainstTheFile(action)
        : explainAgainstTheRegisteredWorkers(action);
    if (json) {
      parent.out().println(Json.write(PlacementExplanations.toTree(report)));
    } else {
      printTable(action, report);
    }
    parent.out().flush();
  }

  private void requireAnActionSource() {
    if (actionRef != null && actionFile != null) {
      throw new ConfigurationException("the command line", "ACTION_REF '" + actionRef + "' and --action " + actionFile,
          "expected one of them");
    }
    if (actionRef == null && actionFile == null) {
      throw new ConfigurationException("the command line", "the action", "is missing: expected ACTION_REF (an action of the "
          + "packs folder, e.g. demo.hello_python) or --action FILE");
    }
  }

  private void requireAWorkersSource() {
    if (workersFile == null && parent.config().database().isEmpty()) {
      throw new ConfigurationException("the command line", "--workers", "is not given and no database is configured: "
          + "expected --workers FILE (or - for standard input, e.g. the output of workers --json), or "
          + ConfigLoader.DATABASE_URL + " (or database.url in the configuration file) to explain against the "
          + "workers registered now");
    }
  }

  /** Offline: the workers as the file (or standard input) describes them, at --now or the command's time. */
  private PlacementReport explainAgainstTheFile(ActionRequirements action) {
    List<Worker> workers = workersFile.equals("-")
        ? ExplainInput.workers(Json.read(parent.in(), "standard input (--workers -)"), "standard input")
        : ExplainInput.workers(Json.read(Path.of(workersFile)), workersFile);
    Instant at = now == null ? parent.clock().instant() : parseNow(now);
    return PlacementPolicy.standard().explain(action, workers, at, previousWorkerIn(workers));
  }

  /** The worker named by --previous-worker, which must be one of the file's. */
  private Optional<WorkerId> previousWorkerIn(List<Worker> workers) {
    if (previousWorker == null) {
      return Optional.empty();
    }
    return Optional.of(workers.stream().filter(w -> w.name().equals(previousWorker)).findFirst()
        .map(Worker::id)
        .orElseThrow(() -> new ConfigurationException("--previous-worker", "'" + previousWorker + "'",
            "expected the name of a worker in " + (workersFile.equals("-") ? "standard input" : workersFile))));
  }

  /**
   * Live: every worker registered now, as the scheduler sees them when it explains a refusal, at the database's
   * time, the time base their heartbeats were stamped with (as {@code workers} shows their age).
   */
  private PlacementReport explainAgainstTheRegisteredWorkers(ActionRequirements action) {
    if (previousWorker != null) {
      throw new ConfigurationException("--previous-worker", "'" + previousWorker + "'",
          "is only taken with --workers FILE: against the database the worker of the action's most recent "
              + "succeeded execution is used");
    }
    try (PostgresAdapter postgres = Services.postgres(parent.config())) {
      List<Worker> workers = postgres.directory().all();
      Instant at = now == null ? postgres.clock().instant() : parseNow(now);
      return PlacementPolicy.standard().explain(action, workers, at,
          postgres.executions().previousWorkerFor(action));
    }
  }

  private void printTable(ActionRequirements action, PlacementReport report) {
    PrintWriter out = parent.out();
    out.println("action   " + report.actionRef() + " (runtime " + action.runtime()
        + (action.runtimeVersion().isAny() ? "" : " " + action.runtimeVersion()) + ")");
    out.println("outcome  " + report.outcome().wireName() + report.selected().map(w -> ": " + w.name()).orElse(""));
    if (action.prefersPreviousWorker()) {
      out.println("previous " + report.workers().stream().filter(WorkerAssessment::previousWorker).findFirst()
          .map(a -> a.worker().name() + " ran it before: its score includes +" + action.preferPreviousWorker())
          .orElse("no worker of these ran it successfully before (prefer_previous_worker "
              + action.preferPreviousWorker() + ")"));
    }
    out.println();
    Table table = new Table("WORKER", "ELIGIBLE", "SCORE", "LOAD", "REJECTIONS");
    for (WorkerAssessment a : report.workers()) {
      table.row(a.worker().name() + (a.previousWorker() ? " (previous)" : ""), a.eligible() ? "yes" : "no", a.preferenceScore(),
          a.worker().running() + "/" + a.worker().capabilities().maxConcurrentExecutions(),
          a.rejections().isEmpty() ? "-" : a.rejections().stream().map(Rejection::toString)
              .collect(Collectors.joining("; ")));
    }
    out.print(table);
  }

  private static Instant parseNow(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException bad) {
      throw new ConfigurationException("--now", "'" + text + "'",
          "expected an ISO-8601 instant such as 2026-01-01T12:00:00Z");
    }
  }
}
