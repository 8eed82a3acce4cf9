package io.attune.worker.adapter.local.probe;

import io.attune.worker.adapter.local.process.BoundedProcess;
import io.attune.worker.adapter.local.process.BoundedProcess.OutputEnd;
import io.attune.worker.adapter.local.process.ChildEnvironment;
import io.attune.worker.adapter.local.process.DurationText;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * How the probe runs one binary: with the probe's child environment, bounded by the timeout, and answered by its
 * merged standard output and error when it exits 0, or with why not; a binary still running at the timeout is killed
 * with what it started.
 *
 * @param environment all that the binary sees
 * @param timeout how long it may take, from its start to its exit
 * @param threads where its output is read
 */
record ProbeRun(ChildEnvironment environment, Duration timeout, Executor threads) {

  /** Version banners are short; a binary that floods its output is cut here. */
  private static final int OUTPUT_LIMIT = 64 * 1024;
  /** How long to wait for the rest of the output once the binary has exited and the timeout has passed. */
  private static final Duration OUTPUT_SLACK = Duration.ofMillis(200);

  /** A binary's merged output when it exited 0, or why it did not. */
  record Ran(String output, String failure) {
    static Ran failed(String why) {
      return new Ran(null, why);
    }
  }

  Ran run(Path path, List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(path.toString());
    command.addAll(arguments);
    long deadline = System.nanoTime() + timeout.toNanos();
    BoundedProcess child;
    try {
      child = BoundedProcess.startMerged(command, environment, OUTPUT_LIMIT, threads);
    } catch (IOException cannotStart) {
      return Ran.failed("could not start " + path + ": " + cannotStart.getMessage());
    }
    try {
      child.closeInput();
      if (!child.awaitExit(Duration.ofNanos(deadline - System.nanoTime()))) {
        child.killTree();
        return Ran.failed("timed out after " + DurationText.of(timeout));
      }
    } catch (InterruptedException interrupted) {
      child.killTree();
      Thread.currentThread().interrupt();
      return Ran.failed("probe interrupted");
    } catch (IOException unwritable) {
      child.killTree();
      return Ran.failed("could not read its output: " + unwritable.getMessage());
    }
    int exit = child.exitValue();
    if (exit != 0) {
      return Ran.failed("exit status " + exit);
    }
    // something the binary left behind may still hold the pipe: then judge what arrived so far
    OutputEnd end = child.awaitOutput(Duration.ofNanos(Math.max(deadline - System.nanoTime(),
        OUTPUT_SLACK.toNanos())));
    return switch (end.kind()) {
      case COMPLETE, HELD_OPEN -> new Ran(child.output().kept(), null);
      case INTERRUPTED -> {
        child.killTree(); // the interrupt is kept by awaitOutput
        yield Ran.failed("probe interrupted");
      }
      case UNREADABLE -> {
        child.killTree();
        yield Ran.failed("could not read its output: " + end.cause());
      }
    };
  }
}
