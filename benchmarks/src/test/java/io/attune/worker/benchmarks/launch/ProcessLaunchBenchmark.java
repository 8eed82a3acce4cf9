package io.attune.worker.benchmarks.launch;

import io.attune.worker.adapter.local.runner.ProcessActionRunner;
import io.attune.worker.adapter.local.runner.RunnerSettings;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.runtime.RuntimeName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How fast actions start: the no-op shell action run through {@link ProcessActionRunner}, beside the same script
 * spawned directly with {@link ProcessBuilder} at the same concurrency, in the same JVM and run.
 *
 * <p>The JDK's launch mechanism is fixed when the first process starts, so {@code scripts/bench.sh launch} runs this
 * harness once per mechanism ({@code -Djdk.lang.Process.launchMechanism=POSIX_SPAWN|VFORK|FORK}); the line it prints
 * names the mechanism, so the runs compare side by side. Not a test: it asserts no speed.
 *
 * <p>Arguments: {@code [runs] [concurrency]}, 400 and 4 by default.
 */
public final class ProcessLaunchBenchmark {

  private static final String MECHANISM_PROPERTY = "jdk.lang.Process.launchMechanism";

  private ProcessLaunchBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    String mechanism = System.getProperty(MECHANISM_PROPERTY, "POSIX_SPAWN (the JDK's default)");
    // readable by all: as root, the runner starts actions as nobody (through the action launcher, as a worker does)
    Path packs = Files.createTempDirectory("attune-launch-bench",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Path script = packs.resolve("bench").resolve("actions").resolve("noop.sh");
    Files.createDirectories(script.getParent());
    Files.writeString(script, "# the no-op shell action\nexit 0\n");
    ProcessActionRunner runner = new ProcessActionRunner(RunnerSettings.of(packs, Map.of(),
        Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "LANG", "C.UTF-8")));
    ActionDefinition noop = ActionDefinition.simple("bench.noop", RuntimeName.SHELL, "noop.sh");
    AtomicInteger ids = new AtomicInteger();

    Task throughRunner = () -> {
      ExecutionStatus status = runner.run(new ExecutionId(ids.incrementAndGet()), noop, Map.of()).status();
      if (status != ExecutionStatus.SUCCEEDED) {
        throw new IllegalStateException("the no-op action ended " + status.wireName());
      }
    };
    Task direct = () -> {
      Process process = new ProcessBuilder("/bin/sh", script.toString()).start();
      process.getOutputStream().close();
      if (process.waitFor() != 0) {
        throw new IllegalStateException("the no-op script exited " + process.exitValue());
      }
    };

    measure(direct, runs / 4, concurrency);
    measure(throughRunner, runs / 4, concurrency);
    Figures spawn = measure(direct, runs, concurrency);
    Figures action = measure(throughRunner, runs, concurrency);
    System.out.printf("launch mechanism %s, %d runs at concurrency %d%n", mechanism, runs, concurrency);
    System.out.printf("  direct spawn of the no-op script   %8.1f/s   p50 %6.2f ms   p99 %6.2f ms%n",
        spawn.perSecond(), spawn.p50Millis(), spawn.p99Millis());
    System.out.printf("  no-op action through the runner    %8.1f/s   p50 %6.2f ms   p99 %6.2f ms%n",
        action.perSecond(), action.p50Millis(), action.p99Millis());
    System.out.printf("  runner / direct spawn              %8.2f%n", action.perSecond() / spawn.perSecond());
    System.out.printf("[summary] launch %s: runner executions/s|%.1f|%.1f direct spawns/s|%.2f|-|-%n",
        mechanism.split(" ")[0], action.perSecond(), spawn.perSecond(), action.perSecond() / spawn.perSecond());
  }

  private static Figures measure(Task task, int runs, int concurrency) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long[] latencies = new long[runs];
    List<Future<?>> futures = new ArrayList<>(runs);
    long start = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      int slot = i;
      futures.add(pool.submit(() -> {
        long began = System.nanoTime();
        task.run();
        latencies[slot] = System.nanoTime() - began;
        return null;
      }));
    }
    for (Future<?> future : futures) {
      future.get();
    }
    long elapsed = System.nanoTime() - start;
    pool.shutdown();
    Arrays.sort(latencies);
    return new Figures(runs * 1e9 / elapsed, latencies[runs / 2] / 1e6, latencies[(int) (runs * 0.99)] / 1e6);
  }

  @FunctionalInterface
  private interface Task {
    void run() throws IOException, InterruptedException;
  }

  private record Figures(double perSecond, double p50Millis, double p99Millis) {
  }
}
