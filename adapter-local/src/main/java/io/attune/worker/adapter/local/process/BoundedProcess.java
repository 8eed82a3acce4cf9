package io.attune.worker.adapter.local.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child process that sees exactly its {@link ChildEnvironment}, whose output is drained on the given threads into
 * {@link CappedOutput}s from the start (so it never blocks on a full pipe), and whose whole tree can be ended: the
 * steps the probe and the runner share. What a time-out or a failure means is theirs to say.
 */
public final class BoundedProcess {

  private final Process process;
  private final Executor threads;
  private final CappedOutput output;
  private final CappedOutput errors;
  private final CompletableFuture<Void> drained;

  private BoundedProcess(Process process, Executor threads, CappedOutput output, CappedOutput errors) {
    this.process = process;
    this.threads = threads;
    this.output = output;
    this.errors = errors;
    CompletableFuture<Void> out = CompletableFuture.runAsync(() -> output.drain(process.getInputStream()), threads);
    this.drained = errors == null ? out : CompletableFuture.allOf(out,
        CompletableFuture.runAsync(() -> errors.drain(process.getErrorStream()), threads));
  }

  /**
   * Starts a child whose standard error joins its standard output, in the worker's working directory.
   *
   * @param capBytes how much of the merged output is kept
   * @throws IOException when the program cannot be started
   */
  public static BoundedProcess startMerged(List<String> command, ChildEnvironment environment, long capBytes,
      Executor threads) throws IOException {
    Process process = builder(command, environment).redirectErrorStream(true).start();
    return new BoundedProcess(process, threads, new CappedOutput(capBytes), null);
  }

  /**
   * Starts a child in {@code directory} whose standard output and error are kept apart.
   *
   * @param capBytes how much of standard output and of standard error is kept, each
   * @throws IOException when the program cannot be started
   */
  public static BoundedProcess startSeparate(List<String> command, ChildEnvironment environment, Path directory,
      long capBytes, Executor threads) throws IOException {
    Process process = builder(command, environment).directory(directory.toFile()).start();
    return new BoundedProcess(process, threads, new CappedOutput(capBytes), new CappedOutput(capBytes));
  }

  private static ProcessBuilder builder(List<String> command, ChildEnvironment environment) {
    ProcessBuilder builder = new ProcessBuilder(command);
    // the builder starts from a copy of the worker's environment: nothing of it may reach the child
    builder.environment().clear();
    builder.environment().putAll(environment.variables());
    return builder;
  }

  /** Closes the child's standard input: it gets nothing to read. */
  public void closeInput() throws IOException {
    process.getOutputStream().close();
  }

  /**
   * Writes the input to the child's standard input and closes it, on one of the threads: a child that never reads
   * its input must not block the caller on a full pipe.
   */
  public void feedInput(byte[] input) {
    threads.execute(() -> {
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write(input);
      } catch (IOException notRead) {
        // the child ended or closed its input without reading it all: its choice
      }
    });
  }

  /** Waits for the child to exit, at most {@code limit}; true when it has. */
  public boolean awaitExit(Duration limit) throws InterruptedException {
    return process.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The exit status of a child that has exited. */
  public int exitValue() {
    return process.exitValue();
  }

  /** Sends SIGKILL to the child and everything it started, at once. */
  public void killTree() {
    ProcessTree.kill(process);
  }

  /**
   * Ends the child's tree the given way, with the grace period between SIGTERM and SIGKILL.
   *
   * @return true when force was needed
   */
  public boolean endTree(ProcessTree.Ending ending, Duration grace) throws InterruptedException {
    return ending.end(process, grace);
  }

  /**
   * Waits at most {@code limit} for the output streams to reach their end; once the child has exited only a leftover
   * process that still holds a pipe open can make this wait run out, and then what arrived so far is kept. An
   * interrupt is kept for the caller.
   */
  public OutputEnd awaitOutput(Duration limit) {
    try {
      drained.get(limit.toNanos(), TimeUnit.NANOSECONDS);
      return OutputEnd.COMPLETE;
    } catch (TimeoutException heldOpen) {
      return OutputEnd.HELD_OPEN;
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return OutputEnd.INTERRUPTED;
    } catch (ExecutionException bug) {
      return OutputEnd.unreadable(bug.getCause());
    }
  }

  /** Standard output, with standard error in it when merged. */
  public CappedOutput output() {
    return output;
  }

  /** Standard error of a child started with its streams apart. */
  public CappedOutput errors() {
    if (errors == null) {
      throw new IllegalStateException("standard error was merged into standard output");
    }
    return errors;
  }

  /**
   * How the wait for a child's output ended.
   *
   * @param kind complete, held open by a leftover process, interrupted, or unreadable
   * @param cause why the output could not be read, for {@link Kind#UNREADABLE}
   */
  public record OutputEnd(Kind kind, Throwable cause) {
    static final OutputEnd COMPLETE = new OutputEnd(Kind.COMPLETE, null);
    static final OutputEnd HELD_OPEN = new OutputEnd(Kind.HELD_OPEN, null);
    static final OutputEnd INTERRUPTED = new OutputEnd(Kind.INTERRUPTED, null);

    static OutputEnd unreadable(Throwable cause) {
      return new OutputEnd(Kind.UNREADABLE, cause);
    }

    /** The ways a wait for output ends. */
    public enum Kind { COMPLETE, HELD_OPEN, INTERRUPTED, UNREADABLE }
  }
}
