package io.attune.worker.benchmarks.system;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * How busy the machine and this JVM were between {@link #start()} and {@link CpuMeter#stop()}: on a shared 2-core
 * machine a throughput figure means little without it. Reads {@code /proc/stat}; elsewhere the share is NaN.
 */
final class CpuMeter {

  private static final Path STAT = Path.of("/proc/stat");
  private static final Path LOADAVG = Path.of("/proc/loadavg");

  private final long[] machineAtStart;
  private final long jvmAtStart;
  private final long jitAtStart;

  private CpuMeter() {
    machineAtStart = machine();
    jvmAtStart = jvmNanos();
    jitAtStart = jitMillis();
  }

  static CpuMeter start() {
    return new CpuMeter();
  }

  /**
   * What a phase used.
   *
   * @param jit elapsed time of the JIT compilations (summed over compiler threads, so it may exceed the CPU they got):
   *     large while the code is still warming up
   */
  record Reading(double busy, Duration jvmCpu, Duration jit) {
  }

  Reading stop() {
    long[] now = machine();
    double busy = Double.NaN;
    if (now.length > 0 && machineAtStart.length > 0) {
      long total = now[0] - machineAtStart[0];
      long idle = now[1] - machineAtStart[1];
      busy = total <= 0 ? Double.NaN : 1.0 - (double) idle / total;
    }
    return new Reading(busy, Duration.ofNanos(jvmNanos() - jvmAtStart), Duration.ofMillis(jitMillis() - jitAtStart));
  }

  /** The three load averages of {@code /proc/loadavg}, or "unknown". */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(LOADAVG).trim().split("\\s+");
      return String.join(" ", Arrays.copyOf(fields, 3));
    } catch (IOException | RuntimeException unavailable) {
      return "unknown";
    }
  }

  /** {total, idle + iowait} jiffies of all CPUs, or an empty array. */
  private static long[] machine() {
    try {
      String cpu = Files.readAllLines(STAT).get(0);
      long[] values = Arrays.stream(cpu.trim().split("\\s+")).skip(1).mapToLong(Long::parseLong).toArray();
      // user nice system idle iowait irq softirq steal [guest guest_nice, already counted in user and nice]
      long total = Arrays.stream(values).limit(8).sum();
      return new long[] {total, values[3] + values[4]};
    } catch (IOException | RuntimeException unavailable) {
      return new long[0];
    }
  }

  private static long jitMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
  }

  private static long jvmNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }
}
