package io.attune.worker.bootstrap.cli;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.bootstrap.output.Json;
import io.attune.worker.bootstrap.output.Table;
import io.attune.worker.bootstrap.wiring.Services;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.worker.Worker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists the registered workers. */
@Command(name = "workers", mixinStandardHelpOptions = true,
    description = "List every registered worker: status, cordon, runtimes and versions, load and heartbeat age.")
final class WorkersCommand implements Callable<Integer> {

  @picocli.CommandLine.ParentCommand
  private AttuneCommand parent;

  @Option(names = "--json", description = "Print a JSON array.")
  private boolean json;

  @Override
  public Integer call() {
    try (PostgresAdapter postgres = Services.postgres(parent.config())) {
      List<Worker> workers = postgres.directory().all();
      Instant now = postgres.clock().instant(); // the time base the heartbeats were stamped with
      if (json) {
        List<Object> tree = new ArrayList<>();
        workers.forEach(w -> tree.add(tree(w, now)));
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

  static Map<String, Object> tree(Worker w, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", w.name());
    m.put("type", w.type().wireName());
    m.put("status", w.status().wireName());
    m.put("cordoned", w.cordoned());
    m.put("runtimes", w.capabilities().runtimes().stream().map(RuntimeName::value).toList());
    Map<String, Object> versions = new TreeMap<>();
    w.capabilities().runtimeVersions().forEach((r, v) -> versions.put(r.value(),
        v.stream().map(Version::toString).toList()));
    m.put("runtime_versions", versions);
    m.put("running", w.running());
    m.put("max_concurrent_executions", w.capabilities().maxConcurrentExecutions());
    m.put("heartbeat_age_seconds", w.heartbeatAge(now).map(a -> a.toMillis() / 1000.0).orElse(null));
    return m;
  }

  private static String runtimes(Worker w) {
    return w.capabilities().runtimes().stream().map(r -> r.value() + w.capabilities().versionsOf(r).stream()
        .map(Version::toString).collect(Collectors.joining("/", w.capabilities().versionsOf(r).isEmpty() ? "" : " ",
            ""))).collect(Collectors.joining(", "));
  }
}
