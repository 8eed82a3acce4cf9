package io.attune.worker.bootstrap.cli;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.bootstrap.output.Json;
import io.attune.worker.bootstrap.output.Table;
import io.attune.worker.bootstrap.wiring.Services;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerTree;
import io.attune.worker.core.service.WorkerLifecycleService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists the registered workers. */
@Command(name = "workers", mixinStandardHelpOptions = true,
    description = "List every registered worker: status, cordon, runtimes and versions, load and heartbeat age.",
    subcommands = WorkersCommand.Prune.class)
final class WorkersCommand implements Callable<Integer> {

  @picocli.CommandLine.ParentCommand
  private AttuneCommand parent;

  @picocli.CommandLine.Mixin
  private Verbosity verbosity;

  @Option(names = "--json", description = "Print a JSON array.")
  private boolean json;

  @Override
  public Integer call() {
    try (PostgresAdapter postgres = Services.postgres(parent.config())) {
      List<Worker> workers = postgres.directory().all();
      Instant now = postgres.clock().instant(); // the time base the heartbeats were stamped with
      if (json) {
        List<Object> tree = new ArrayList<>();
        workers.forEach(w -> tree.add(WorkerTree.toTree(w, now)));
        parent.out().println(Json.write(tree));
      } else {
        Table table = new Table("NAME", "TYPE", "STATUS", "CORDONED", "RUNTIMES", "LOAD", "HEARTBEAT");
        for (Worker w : workers) {
          table.row(w.name(), w.type().wireName(), w.status().wireName() + (w.isFresh(now) ? "" : " (stale)"),
              w.cordoned() ? "yes" : "no", runtimes(w), w.running() + "/"
                  + w.capabilities().maxConcurrentExecutions(),
              w.heartbeatAge(now).map(a -> a.toSeconds() + " s ago").orElse("never"));
        }
        parent.out().print(workers.isEmpty() ? "no worker is registered\n" : table.toString());
      }
      parent.out().flush();
    }
    return 0;
  }

  private static String runtimes(Worker w) {
    return w.capabilities().runtimes().stream().map(r -> r.value() + w.capabilities().versionsOf(r).stream()
        .map(Version::toString).collect(Collectors.joining("/", w.capabilities().versionsOf(r).isEmpty() ? "" : " ",
            ""))).collect(Collectors.joining(", "));
  }

  /** Removes workers gone for good. */
  @Command(name = "prune", mixinStandardHelpOptions = true,
      description = {"Remove the workers gone for good: inactive or stale, without a heartbeat for --older-than, and "
          + "holding no execution. Their past executions keep their results but no longer name them.",
          "A worker that comes back later registers again under its name (with a new id)."},
      footer = {"", "Examples:", "  attune-worker workers prune                 # gone for 7 days or more",
          "  attune-worker workers prune --older-than 12h"})
  static final class Prune implements Callable<Integer> {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([dhm])");

    /** Shorter would risk removing a worker that is only restarting or on a slow network. */
    static final Duration MINIMUM = Duration.ofHours(1);

    @picocli.CommandLine.ParentCommand
    private WorkersCommand workers;

    @picocli.CommandLine.Mixin
    private Verbosity verbosity;

    @Option(names = "--older-than", paramLabel = "DURATION", defaultValue = "7d",
        description = "How long a worker must have been silent: a number and d, h or m (default: ${DEFAULT-VALUE}, "
            + "at least 1h).")
    private String olderThan;

    @Override
    public Integer call() {
      Duration goneFor = parse(olderThan);
      try (PostgresAdapter postgres = Services.postgres(workers.parent.config())) {
        List<String> removed = new WorkerLifecycleService(postgres.registry(), postgres.clock()).prune(goneFor);
        workers.parent.out().println(removed.isEmpty() ? "no worker has been gone for " + olderThan
            : "removed " + removed.size() + " worker(s) gone for " + olderThan + " or more: "
                + String.join(", ", removed));
        workers.parent.out().flush();
      }
      return 0;
    }

    static Duration parse(String text) {
      Matcher m = DURATION.matcher(text.strip());
      if (!m.matches()) {
        throw new ConfigurationException("--older-than", "'" + text + "'", "expected a number and d, h or m, "
            + "e.g. 7d or 12h");
      }
      long n = Long.parseLong(m.group(1));
      Duration duration = switch (m.group(2)) {
        case "d" -> Duration.ofDays(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofMinutes(n);
      };
      if (duration.compareTo(MINIMUM) < 0) {
        throw new ConfigurationException("--older-than", "'" + text + "'", "expected at least 1h: a shorter time "
            + "could remove a worker that is only restarting");
      }
      return duration;
    }
  }
}
