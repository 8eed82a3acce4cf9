package io.attune.worker.benchmarks.system;

import java.util.Locale;

/**
 * One measured run of {@link PlacementAtScaleBenchmark}.
 *
 * @param expected executions waiting at the start
 * @param placed executions dispatched
 * @param nanos wall time of the run
 * @param latency time of each {@code schedule} call (decide, reserve, dispatch with its confirm)
 * @param statements SQL statements the database ran meanwhile, from every process (pg_stat_statements)
 * @param busy share of the machine's CPU in use meanwhile, by anything
 */
record Run(String name, int expected, int placed, long nanos, Latencies latency, long statements, double busy,
    StatementStats.Reading sql) {

  double perSecond() {
    return placed / (nanos / 1e9);
  }

  double sqlPerPlacement() {
    return placed == 0 ? Double.NaN : (double) statements / placed;
  }

  String describe() {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%,d of %,d placed in %.2f s: %,.0f/s, p50 %.2f "
            + "ms, p99 %.2f ms, %.2f SQL statements per placement, machine %.0f %% busy", placed, expected,
        nanos / 1e9, perSecond(), latency.p50(), latency.p99(), sqlPerPlacement(), 100 * busy));
    sql.kinds().stream().limit(4).forEach(kind -> out.append(String.format(Locale.ROOT, "%n      %8d x %8.1f ms  %s",
        kind.calls(), kind.totalMillis(), kind.query().length() > 110 ? kind.query().substring(0, 110) + "..."
            : kind.query())));
    return out.toString();
  }
}
