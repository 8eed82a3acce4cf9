package io.attune.worker.bootstrap.cli;

import io.attune.worker.bootstrap.output.Json;
import io.attune.worker.bootstrap.output.Table;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.placement.ActionRequirements;
import io.attune.worker.core.model.placement.PlacementExplanations;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.placement.PlacementReport;
import io.attune.worker.core.model.placement.Rejection;
import io.attune.worker.core.model.placement.WorkerAssessment;
import io.attune.worker.core.model.worker.Worker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Offline placement: which of these workers would take this action, and why not the others. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = {"Place an action on a set of workers offline and explain every rejection.",
        "Every worker is checked against every rule; the last tie is broken by name."},
    footer = {"", "Outcome: selected, wait (only busy/stale/inactive/cordoned workers could run it) or unschedulable.",
        "", "Examples:", "  attune-worker explain --workers docs/examples/workers.json "
        + "--action docs/examples/action-python.json --now 2026-01-01T00:00:30Z --json",
        "  attune-worker workers --json | attune-worker explain --workers - --action action.json"})
final class ExplainCommand implements Runnable {

  @ParentCommand
  private AttuneCommand parent;

  @Option(names = "--workers", required = true, paramLabel = "FILE",
      description = "JSON array of workers: {name, status, cordoned, last_heartbeat, heartbeat_interval_seconds, "
          + "running, capabilities}, or - for standard input; the output of workers --json is such an array.")
  private String workersFile;

  @Option(names = "--action", required = true, paramLabel = "FILE",
      description = "JSON action: {ref, runtime, runtime_version, required_runtimes, selector, tolerations, affinity}.")
  private Path actionFile;

  @Option(names = "--now", paramLabel = "INSTANT",
      description = "Evaluate heartbeats at this ISO-8601 instant (default: the current time).")
  private String now;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  private boolean json;

  @Override
  public void run() {
    Instant at = now == null ? Instant.now() : parseNow(now);
    List<Worker> workers = workersFile.equals("-")
        ? ExplainInput.workers(Json.read(parent.in(), "standard input (--workers -)"), "standard input")
        : ExplainInput.workers(Json.read(Path.of(workersFile)), workersFile);
    ActionRequirements action = ExplainInput.action(actionFile);
    PlacementReport report = PlacementPolicy.standard().explain(action, workers, at);
    PrintWriter out = parent.out();
    if (json) {
      out.println(Json.write(PlacementExplanations.toTree(report)));
    } else {
      out.println("action   " + report.actionRef() + " (runtime " + action.runtime()
          + (action.runtimeVersion().isAny() ? "" : " " + action.runtimeVersion()) + ")");
      out.println("outcome  " + report.outcome().wireName()
          + report.selected().map(w -> ": " + w.name()).orElse(""));
      out.println();
      Table table = new Table("WORKER", "ELIGIBLE", "SCORE", "LOAD", "REJECTIONS");
      for (WorkerAssessment a : report.workers()) {
        table.row(a.worker().name(), a.eligible() ? "yes" : "no", a.preferenceScore(),
            a.worker().running() + "/" + a.worker().capabilities().maxConcurrentExecutions(),
            a.rejections().isEmpty() ? "-" : a.rejections().stream().map(Rejection::toString)
                .collect(Collectors.joining("; ")));
      }
      out.print(table);
    }
    out.flush();
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
