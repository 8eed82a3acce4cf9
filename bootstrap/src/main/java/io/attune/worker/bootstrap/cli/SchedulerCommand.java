package io.attune.worker.bootstrap.cli;

import io.attune.worker.bootstrap.roles.SchedulerRole;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Runs a scheduler until SIGTERM or SIGINT. */
@Command(name = "scheduler", mixinStandardHelpOptions = true,
    description = {"Run a scheduler: place requested executions on workers that offer their runtime, keep those "
        + "that must wait queued until capacity frees (up to ATTUNE_SCHEDULING_TIMEOUT_SECONDS), fail "
        + "unschedulable ones at once with an explanation, and recover executions of workers whose heartbeat went "
        + "stale (one retry by default).",
        "Several schedulers may run at once."})
final class SchedulerCommand implements Callable<Integer> {

  @picocli.CommandLine.ParentCommand
  private AttuneCommand parent;

  @Override
  public Integer call() throws InterruptedException {
    SchedulerRole scheduler = SchedulerRole.start(parent.config(), parent.clock());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      scheduler.close();
      Runtime.getRuntime().halt(0); // a clean stop, not the 143 of a process ended by SIGTERM
    }, "scheduler-stop"));
    scheduler.awaitStopped();
    return 0;
  }
}
