package io.attune.worker.benchmarks.system;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;

/**
 * Percentiles of a set of durations, in milliseconds, by the nearest-rank method (p99 of 30 samples is the
 * largest: say so rather than interpolate).
 */
record Latencies(int count, double p50, double p90, double p99, double max) {

  static Latencies of(Collection<Duration> durations) {
    double[] millis = durations.stream().mapToDouble(d -> d.toNanos() / 1e6).sorted().toArray();
    if (millis.length == 0) {
      return new Latencies(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    return new Latencies(millis.length, rank(millis, 50), rank(millis, 90), rank(millis, 99),
        millis[millis.length - 1]);
  }

  static Latencies ofNanos(Collection<Long> nanos) {
    return of(nanos.stream().map(Duration::ofNanos).toList());
  }

  private static double rank(double[] sorted, double percentile) {
    int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** {@code p50 / p90 / p99 / max} in ms. */
  String describe() {
    return String.format(Locale.ROOT, "%8.1f %8.1f %8.1f %8.1f", p50, p90, p99, max);
  }
}
