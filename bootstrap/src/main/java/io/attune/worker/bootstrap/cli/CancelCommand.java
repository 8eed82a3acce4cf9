package io.attune.worker.bootstrap.cli;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.bootstrap.wiring.Services;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.port.in.CancelExecutionUseCase.Cancellation;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.service.CancelExecutionService;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Cancels an execution. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
    description = {"Cancel an execution. One that has not started (requested, or scheduled and not yet started) is "
        + "cancelled at once and never runs. A running one is recorded as to be cancelled, and its worker ends its "
        + "process tree (SIGTERM, then SIGKILL after a grace) and records it as cancelled; the command waits for that "
        + "unless --no-wait. An execution that has already ended is left as it is.",
        "Exit status: 0 when the execution is cancelled, or had already ended (the message says how); 1 when there "
            + "is no execution with this id, or a running one has not ended within --timeout; 2 for a malformed id."},
    footer = {"", "Examples:", "  attune-worker cancel 42", "  attune-worker cancel 42 --no-wait"})
final class CancelCommand implements Callable<Integer> {

  @picocli.CommandLine.ParentCommand
  private AttuneCommand parent;

  @picocli.CommandLine.Mixin
  private Verbosity verbosity;

  @Parameters(index = "0", paramLabel = "ID", description = "The execution id, as submit prints it.")
  private String id;

  @Option(names = "--no-wait", description = "Do not wait for the worker of a running execution to end it.")
  private boolean noWait;

  @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
      description = "How long to wait for the worker to end a running execution (default: ${DEFAULT-VALUE}).")
  private int timeoutSeconds;

  @Override
  public Integer call() throws InterruptedException {
    ExecutionId executionId = ExecutionView.parseId(id);
    if (timeoutSeconds < 1) {
      throw new ConfigurationException("--timeout", Integer.toString(timeoutSeconds), "expected at least 1 second");
    }
    try (PostgresAdapter postgres = Services.postgres(parent.config());
        BrokerOnDemand broker = new BrokerOnDemand(parent, "cancel")) {
      Cancellation answer = new CancelExecutionService(postgres.executions(), broker, postgres.clock(),
          ExecutionObserver.NONE, broker).cancel(executionId);
      ExecutionView view = new ExecutionView(postgres.directory());
      if (answer instanceof Cancellation.Unknown) {
        parent.err().println("cancel: no execution " + executionId);
        return AttuneCommand.FAILURE;
      }
      if (answer instanceof Cancellation.Cancelled cancelled) {
        say("execution " + executionId + " (" + cancelled.execution().actionRef() + ") cancelled: it had not "
            + "started and will not run");
        return 0;
      }
      if (answer instanceof Cancellation.AlreadyEnded ended) {
        say("execution " + executionId + " (" + ended.execution().actionRef() + ") had already ended: "
            + ended.execution().status().wireName() + "; nothing changed");
        return 0;
      }
      Execution running = answer instanceof Cancellation.StopRequested r ? r.execution()
          : ((Cancellation.AlreadyRequested) answer).execution();
      String worker = view.workerName(running.worker());
      say("execution " + executionId + " (" + running.actionRef() + ") runs on " + (worker == null ? "a removed worker"
          : worker) + ": cancel " + (answer instanceof Cancellation.AlreadyRequested ? "was already requested; "
          : "requested; ") + "its worker ends the process tree");
      if (answer instanceof Cancellation.StopRequested r && r.signalFailure().isPresent()) {
        parent.err().println("warning: the worker could not be told at once (" + r.signalFailure().get() + "); it "
            + "finds the request at its next check (every heartbeat interval), and should it be gone, recovery "
            + "ends the execution as cancelled");
      }
      if (noWait) {
        return 0;
      }
      return awaitEnd(postgres, executionId, Duration.ofSeconds(timeoutSeconds));
    }
  }

  private int awaitEnd(PostgresAdapter postgres, ExecutionId executionId, Duration timeout)
      throws InterruptedException {
    Execution current = Following.untilEnded(postgres.executions(),
        postgres.executions().find(executionId).orElseThrow(), parent.clock(), timeout, looked -> { });
    if (!current.status().isTerminal()) {
      parent.err().println("cancel: execution " + executionId + " is still " + current.status().wireName()
          + " after " + timeout.toSeconds() + " s; the cancel stays requested");
      return AttuneCommand.FAILURE;
    }
    say(current.status() == ExecutionStatus.CANCELLED ? "execution " + executionId + " cancelled"
        + current.result().map(r -> ": " + r.message()).orElse("")
        : "execution " + executionId + " ended " + current.status().wireName() + " before its worker could stop it");
    return 0;
  }

  private void say(String line) {
    parent.out().println(line);
    parent.out().flush();
  }

  /**
   * Stop requests over RabbitMQ, connected only when one is sent: a cancel of an execution that has not started
   * needs no broker.
   */
}
