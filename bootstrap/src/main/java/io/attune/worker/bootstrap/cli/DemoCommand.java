package io.attune.worker.bootstrap.cli;

import io.attune.worker.bootstrap.demo.Demo;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Runs the whole system in one JVM on the embedded default. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the whole system in one JVM with no database or broker: four workers like the container "
        + "variants (shell; shell,python; shell,node; shell,python,node,native), each declared through its own "
        + "ATTUNE_WORKER_RUNTIMES, a batch of the sample actions in ./packs (more than the workers hold at once), "
        + "run as real child processes.",
        "Prints where each execution ran and why the other workers were rejected. Runtimes missing on this machine "
        + "show up as unschedulable rows."},
    footer = {"", "Example:", "  attune-worker demo --repeat 3"})
final class DemoCommand implements java.util.concurrent.Callable<Integer> {

  @ParentCommand
  private AttuneCommand parent;

  @Option(names = "--repeat", defaultValue = "2", paramLabel = "N",
      description = "Submit every sample action N times (default: ${DEFAULT-VALUE}).")
  private int repeat;

  @Option(names = "--deadline", defaultValue = "25", paramLabel = "SECONDS",
      description = "Cancel what has not ended after this many seconds (default: ${DEFAULT-VALUE}).")
  private int deadlineSeconds;

  @Override
  public Integer call() throws InterruptedException {
    if (repeat < 1 || repeat > 50) {
      throw new io.attune.worker.core.error.ConfigurationException("--repeat", Integer.toString(repeat),
          "expected 1 to 50");
    }
    if (deadlineSeconds < 1) {
      throw new io.attune.worker.core.error.ConfigurationException("--deadline", Integer.toString(deadlineSeconds),
          "expected a positive number of seconds");
    }
    new Demo(parent.config(), parent.environment(), parent.out(), repeat, Duration.ofSeconds(deadlineSeconds),
        parent.clock()).run();
    return 0;
  }
}
