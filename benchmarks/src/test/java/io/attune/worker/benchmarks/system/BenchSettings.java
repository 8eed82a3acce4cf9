package io.attune.worker.benchmarks.system;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link EndToEndBenchmark} runs, from {@code -Dbench.*} system properties, and where the services are, from
 * the variables of {@code scripts/test-services.sh} (or the {@code ATTUNE_*} ones of a deployment).
 *
 * @param batch executions submitted at once in the batch phase: enough that the ramp at its start and end does not
 *     move the rate (what too small a batch did: docs/benchmarks.md)
 * @param light executions of the light-load phase, one at a time
 * @param warmUp executions run first and not counted: class loading, connection pools, channels and above all the
 *     JIT, since the roles are long-lived processes (how many it takes to settle: docs/benchmarks.md)
 * @param lightInterval least time between two submissions at light load; the next also waits for the previous end
 * @param workers in-process workers
 * @param slots {@code max_concurrent_executions} of each worker
 * @param submitters threads that submit the batch, as several clients would
 * @param rawMessages messages of each raw persistent-throughput measurement
 * @param timeout how long one phase may take before the benchmark gives up
 * @param logLevel the level of the roles' logs on standard error
 * @param inProcessRunner true to run actions with {@link NoWorkRunner} instead of child processes
 *     ({@code -Dbench.runner=in-process}; {@code process} is the default)
 */
record BenchSettings(
    String databaseUrl,
    String databaseUser,
    String databasePassword,
    String mqUrl,
    Path packsDirectory,
    int batch,
    int light,
    int warmUp,
    Duration lightInterval,
    int workers,
    int slots,
    int submitters,
    int rawMessages,
    Duration timeout,
    String logLevel,
    boolean inProcessRunner) {

  BenchSettings {
    positive("bench.batch", batch);
    positive("bench.light", light);
    positive("bench.workers", workers);
    positive("bench.slots", slots);
    positive("bench.submitters", submitters);
    positive("bench.rawMessages", rawMessages);
    if (warmUp < 0) {
      throw new IllegalArgumentException("-Dbench.warmUp=" + warmUp + ": expected 0 or more executions");
    }
    if (!Files.isDirectory(packsDirectory)) {
      throw new IllegalArgumentException("-Dbench.packs=" + packsDirectory + ": expected a folder of packs");
    }
  }

  /** Reads the settings; a missing service variable is an error that says how to run the benchmark. */
  static BenchSettings load(Map<String, String> environment) {
    return new BenchSettings(
        service(environment, "DATABASE_URL"),
        optional(environment, "DATABASE_USER").orElse("postgres"),
        optional(environment, "DATABASE_PASSWORD").orElse(""),
        service(environment, "MQ_URL"),
        Optional.ofNullable(System.getProperty("bench.packs")).map(Path::of).orElseGet(BenchSettings::bundledPacks),
        Integer.getInteger("bench.batch", 1_000),
        Integer.getInteger("bench.light", 30),
        Integer.getInteger("bench.warmUp", 2_000),
        Duration.ofMillis(Integer.getInteger("bench.lightIntervalMs", 50)),
        Integer.getInteger("bench.workers", 2),
        Integer.getInteger("bench.slots", 4),
        Integer.getInteger("bench.submitters", 4),
        Integer.getInteger("bench.rawMessages", 30_000),
        Duration.ofSeconds(Integer.getInteger("bench.timeoutSeconds", 120)),
        System.getProperty("bench.logLevel", "warn"),
        runner(System.getProperty("bench.runner", "process")));
  }

  /** The test variable ({@code ATTUNE_TEST_X}), else the deployment's ({@code ATTUNE_X}). */
  private static String service(Map<String, String> environment, String suffix) {
    return optional(environment, suffix).orElseThrow(() -> new IllegalStateException("ATTUNE_TEST_" + suffix
        + " (or ATTUNE_" + suffix + ") is not set: run the benchmark through scripts/test-services.sh, "
        + "see the Javadoc of " + EndToEndBenchmark.class.getName()));
  }

  private static Optional<String> optional(Map<String, String> environment, String suffix) {
    return Optional.ofNullable(environment.get("ATTUNE_TEST_" + suffix))
        .or(() -> Optional.ofNullable(environment.get("ATTUNE_" + suffix)))
        .filter(v -> !v.isBlank());
  }

  /** The packs copied from src/test/resources/bench-packs to the test classes. */
  private static Path bundledPacks() {
    URL packs = BenchSettings.class.getResource("/bench-packs");
    if (packs == null) {
      throw new IllegalStateException("bench-packs is not on the class path: put benchmarks/target/test-classes on "
          + "it, or name the folder with -Dbench.packs");
    }
    try {
      return Path.of(packs.toURI());
    } catch (URISyntaxException | IllegalArgumentException notAFolder) {
      throw new IllegalStateException("bench-packs at " + packs + " is not a folder: name one with -Dbench.packs",
          notAFolder);
    }
  }

  private static boolean runner(String name) {
    return switch (name) {
      case "process" -> false;
      case "in-process" -> true;
      default -> throw new IllegalArgumentException("-Dbench.runner=" + name + ": expected process or in-process");
    };
  }

  private static void positive(String property, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("-D" + property + "=" + value + ": expected a positive number");
    }
  }
}
