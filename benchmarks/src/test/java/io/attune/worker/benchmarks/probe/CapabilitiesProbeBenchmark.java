package io.attune.worker.benchmarks.probe;

import io.attune.worker.adapter.local.probe.ProcessRuntimeProbe;
import io.attune.worker.core.model.runtime.KnownRuntime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A benchmark, not a test: the wall time of {@code capabilities} with six probed binaries (each answering after
 * 0.3 s, like a language runtime starting) of which one hangs,
 * beside the sum of the same probes run one after another, measured in the same run.
 *
 *
 * <p>Run it with {@code scripts/bench.sh probe}.
 */
public final class CapabilitiesProbeBenchmark {

  private CapabilitiesProbeBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    Path bin = Files.createTempDirectory("probe-bench");
    script(bin, "python3", "sleep 0.3; echo 'Python 3.11.2'");
    script(bin, "node", "sleep 0.3; echo v20.11.1");
    script(bin, "ruby", "sleep 30"); // hangs: costs one timeout
    script(bin, "go", "sleep 0.3; echo 'go version go1.22.1 linux/amd64'");
    script(bin, "java", "sleep 0.3; echo 'openjdk version \"17.0.15\" 2025-04-15' >&2");
    script(bin, "perl", "sleep 0.3; echo 'This is perl 5, version 36, subversion 0 (v5.36.0)'");
    // the scripts come first on the PATH; /usr/bin and /bin give them sleep
    Map<String, String> env = Map.of("PATH", bin + ":/usr/bin:/bin", "HOME", bin.toString(),
        "ATTUNE_WORKER_NAME", "bench", "ATTUNE_PROBE_TIMEOUT_SECONDS", "2");
    Duration timeout = Duration.ofSeconds(2);

    int rounds = Integer.getInteger("rounds", 3);
    for (int round = 1; round <= rounds; round++) {
      long start = System.nanoTime();
      StringWriter out = new StringWriter();
      int status = io.attune.worker.bootstrap.Main.run(new String[] {"capabilities", "--json"}, env,
          new PrintWriter(out), new PrintWriter(new StringWriter()));
      double parallel = (System.nanoTime() - start) / 1e9;

      double sequential = 0;
      ProcessRuntimeProbe probe = new ProcessRuntimeProbe(env, timeout);
      for (KnownRuntime runtime : KnownRuntime.PROBED) {
        long t = System.nanoTime();
        probe.probe(List.of(runtime));
        sequential += (System.nanoTime() - t) / 1e9;
      }
      System.out.printf(Locale.ROOT, "round %d: capabilities (6 probes in parallel, ruby hangs) %.2f s (exit %d) | "
          + "the same probes one after another %.2f s | ratio %.1fx%n", round, parallel, status, sequential,
          sequential / parallel);
      if (round == rounds) {
        System.out.printf(Locale.ROOT, "[summary] capabilities, 6 probes, one hanging (s)|%.2f|%.2f one after another"
            + "|%.1fx faster|-|-%n", parallel, sequential, sequential / parallel);
      }
    }
  }

  private static void script(Path dir, String name, String body) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
