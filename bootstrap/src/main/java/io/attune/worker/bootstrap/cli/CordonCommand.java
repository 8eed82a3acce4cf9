package io.attune.worker.bootstrap.cli;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.bootstrap.wiring.Services;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.service.WorkerLifecycleService;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Stops or resumes new placements on a worker. */
abstract class CordonCommand implements Callable<Integer> {

  @picocli.CommandLine.ParentCommand
  private AttuneCommand parent;

  @picocli.CommandLine.Mixin
  private Verbosity verbosity;

  @Parameters(index = "0", paramLabel = "NAME", description = "The worker's name (see `attune-worker workers`).")
  private String name;

  abstract boolean cordon();

  @Override
  public Integer call() {
    try (PostgresAdapter postgres = Services.postgres(parent.config())) {
      WorkerLifecycleService lifecycle = new WorkerLifecycleService(postgres.registry(), parent.clock());
      Optional<Worker> changed = cordon() ? lifecycle.cordon(name) : lifecycle.uncordon(name);
      Worker worker = changed.orElseThrow(() -> new ConfigurationException("NAME", "'" + name + "'",
          "no worker has this name; see `attune-worker workers`"));
      parent.out().println("worker " + worker.name() + (worker.cordoned()
          ? " cordoned: it takes no new executions; running ones go on" : " uncordoned: it takes new executions"));
      parent.out().flush();
    }
    return 0;
  }

  /** {@code cordon NAME}. */
  @Command(name = "cordon", mixinStandardHelpOptions = true,
      description = "Stop placing new executions on a worker; its running executions go on.")
  static final class Cordon extends CordonCommand {
    @Override
    boolean cordon() {
      return true;
    }
  }

  /** {@code uncordon NAME}. */
  @Command(name = "uncordon", mixinStandardHelpOptions = true,
      description = "Let a cordoned worker take new executions again.")
  static final class Uncordon extends CordonCommand {
    @Override
    boolean cordon() {
      return false;
    }
  }
}
