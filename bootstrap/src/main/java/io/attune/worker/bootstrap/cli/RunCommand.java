package io.attune.worker.bootstrap.cli;

import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.core.error.ConfigurationException;
import java.time.Duration;
import io.attune.worker.bootstrap.roles.WorkerRole;
import io.attune.worker.bootstrap.wiring.ProcessHardening;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** Runs a worker until SIGTERM or SIGINT, then drains. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run a worker: resolve capabilities, register in PostgreSQL (ATTUNE_DATABASE_URL), heartbeat, "
        + "and execute what the scheduler dispatches over RabbitMQ (ATTUNE_MQ_URL), at most "
        + "max_concurrent_executions at once.",
        "On SIGTERM it drains: takes no new work, lets running executions finish for "
        + "ATTUNE_SHUTDOWN_GRACE_SECONDS, hands what still runs to other workers and marks itself inactive.",
        "Auto-detected runtimes are probed again every ATTUNE_REPROBE_SECONDS (0: never) and on "
        + "SIGHUP (which no longer stops the process); a change updates the registration at once."},
    footer = {"", "Example:", "  ATTUNE_WORKER_RUNTIMES=shell,python \\",
        "  ATTUNE_DATABASE_URL=jdbc:postgresql://db:5432/attune \\",
        "  ATTUNE_MQ_URL=amqp://attune:attune@mq:5672/%%2F attune-worker run"})
final class RunCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @picocli.CommandLine.ParentCommand
  private AttuneCommand parent;

  @picocli.CommandLine.Option(names = "--wait-for-name", paramLabel = "SECONDS",
      description = {"When a live worker process already holds this worker's name (another `run` with the same "
          + "ATTUNE_WORKER_NAME, or the default worker-<hostname> on one host), wait up to SECONDS for it to end "
          + "instead of refusing to start (exit status 2). Default: $ATTUNE_WORKER_NAME_WAIT_SECONDS, else 0."})
  private Integer waitForName;

  @picocli.CommandLine.Spec
  private picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    AttuneConfig config = parent.config();
    if (waitForName != null) {
      if (waitForName < 0 || waitForName > 86_400) {
        throw new ConfigurationException("command line", "--wait-for-name " + waitForName,
            "expected a number of seconds from 0 to 86400");
      }
      config = config.withWorkerNameWait(Duration.ofSeconds(waitForName));
    }
    // before anything reads a credential into memory: actions, running as this user, must not read them back
    ProcessHardening.makeNonDumpable().ifPresent(why -> LOG.warn("credentials not protected from actions: {}", why));
    ProcessHardening.checkAttachDisabled().ifPresent(why -> LOG.warn("credentials not protected from actions: {}",
        why));
    AttuneConfig started = config;
    WorkerRole worker = WorkerRole.start(started, parent.environment(), parent.clock());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      worker.drain(started.shutdownGrace());
      worker.close();
      // a drain that completed is a clean stop: exit 0 rather than the 143 of a process ended by SIGTERM; a process
      // that lost its name to another stops with 1
      Runtime.getRuntime().halt(worker.lostName().isPresent() ? 1 : 0);
    }, "drain"));
    worker.awaitStopped();
    if (worker.lostName().isPresent()) {
      spec.commandLine().getErr().println("run: worker " + worker.worker().name() + " stopped: another process "
          + "holds the name now (" + worker.lostName().get() + ")");
      spec.commandLine().getErr().flush();
      return 1;
    }
    return 0;
  }
}
