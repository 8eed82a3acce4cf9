package io.attune.worker.bootstrap.cli;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.wiring.Services;
import io.attune.worker.core.model.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** The container health check: is this worker registered, active and heartbeating? */
@Command(name = "health", mixinStandardHelpOptions = true,
    description = {"Exit 0 when this worker (ATTUNE_WORKER_NAME, or <prefix>-<hostname>) is registered, active and "
        + "its last heartbeat is fresh (younger than 3 heartbeat intervals); exit 1 with the reason otherwise.",
        "The HEALTHCHECK of the worker images."})
final class HealthCommand implements Callable<Integer> {

  @picocli.CommandLine.ParentCommand
  private AttuneCommand parent;

  @Override
  public Integer call() {
    AttuneConfig config = parent.config();
    try (PostgresAdapter postgres = Services.postgres(config)) {
      Optional<Worker> found = postgres.directory().byName(config.workerName());
      Instant now = postgres.clock().instant(); // the time base the heartbeats were stamped with
      // not Optional.map: problem() answers null for a healthy worker, which map would turn into "absent"
      String problem = found.isEmpty() ? "worker " + config.workerName() + " is not registered"
          : problem(found.get(), now);
      if (problem != null) {
        parent.err().println("unhealthy: " + problem);
        return AttuneCommand.FAILURE;
      }
      Worker worker = found.get();
      parent.out().println("healthy: worker " + worker.name() + " is active, last heartbeat "
          + worker.heartbeatAge(now).map(Duration::toSeconds).orElse(0L) + " s ago, running "
          + worker.running() + "/" + worker.capabilities().maxConcurrentExecutions());
      parent.out().flush();
      return 0;
    }
  }

  /** Why the worker is not healthy at {@code now}, or null when it is. */
  static String problem(Worker worker, Instant now) {
    if (!worker.isActive()) {
      return "worker " + worker.name() + " is " + worker.status().wireName();
    }
    if (!worker.isFresh(now)) {
      return "worker " + worker.name() + " has not heartbeated for "
          + worker.heartbeatAge(now).map(a -> a.toSeconds() + " s").orElse("ever") + " (stale after "
          + worker.staleAfter().toSeconds() + " s)";
    }
    return null;
  }
}
