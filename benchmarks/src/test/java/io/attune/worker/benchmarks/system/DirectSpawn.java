package io.attune.worker.benchmarks.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The process baseline of {@link EndToEndBenchmark}: the benchmark's no-op action spawned directly with
 * {@link ProcessBuilder} under {@code /bin/sh}, its parameters written to standard input and its output read, as the
 * runner does, at the same concurrency as the system's slots; nothing else.
 */
final class DirectSpawn {

  private DirectSpawn() {
  }

  /** Spawns per second, over {@code runs} spawns with at most {@code concurrency} at once. */
  static double perSecond(Path packs, int runs, int concurrency) throws Exception {
    Path script = script(packs);
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<?>> spawns = new ArrayList<>(runs);
      long start = System.nanoTime();
      for (int i = 0; i < runs; i++) {
        spawns.add(pool.submit(() -> spawn(script)));
      }
      for (Future<?> spawn : spawns) {
        spawn.get();
      }
      return runs * 1e9 / (System.nanoTime() - start);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The benchmark's no-op action script in the packs folder. */
  static Path script(Path packs) {
    Path script = packs.resolve("bench").resolve("actions").resolve("noop.sh");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("no action script " + script);
    }
    return script;
  }

  /** One spawn of the script: parameters in, output read, exit status checked. */
  static Void spawn(Path script) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("/bin/sh", script.toString()).redirectErrorStream(true).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write("{}".getBytes(StandardCharsets.UTF_8));
    }
    try (InputStream out = process.getInputStream()) {
      out.readAllBytes();
    }
    if (process.waitFor() != 0) {
      throw new IllegalStateException(script + " exited " + process.exitValue());
    }
    return null;
  }
}
