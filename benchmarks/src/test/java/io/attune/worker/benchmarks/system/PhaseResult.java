package io.attune.worker.benchmarks.system;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.worker.WorkerId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one phase, taken from the execution rows as stored (requested, started, ended) and from what the
 * submitting client measured.
 *
 * @param window first {@code requested_at} to last {@code ended_at}
 * @param submitToStart {@code started_at - requested_at}: store, announce, place, dispatch, claim
 * @param startToEnd {@code ended_at - started_at}: the child process and reading its output
 * @param store the client's insert of the execution row
 * @param announce the client's confirmed publish of {@code execution.request}
 * @param peakRunning the most executions between start and end at one instant
 * @param busy the share of the machine's CPU time that was busy during the phase (all processes)
 * @param jvmCpu CPU time of this JVM (scheduler, workers and client together) during the phase
 * @param jit time the JIT compilers spent during the phase
 * @param sql the statements PostgreSQL ran during the phase
 * @param rows the executions as stored at the end of the phase
 */
record PhaseResult(
    String name,
    int executions,
    int succeeded,
    Duration window,
    Latencies submitToStart,
    Latencies startToEnd,
    Latencies store,
    Latencies announce,
    int peakRunning,
    Map<String, Integer> perWorker,
    double busy,
    Duration jvmCpu,
    Duration jit,
    StatementStats.Reading sql,
    List<Execution> rows) {

  PhaseResult {
    rows = List.copyOf(rows);
  }

  static PhaseResult of(String name, List<Execution> rows, List<Submitter.Submitted> submitted,
      Map<WorkerId, String> workerNames, CpuMeter.Reading cpu, StatementStats.Reading sql) {
    int succeeded = (int) rows.stream().filter(e -> e.status() == ExecutionStatus.SUCCEEDED).count();
    Instant first = rows.stream().map(Execution::requestedAt).min(Instant::compareTo).orElseThrow();
    Instant last = rows.stream().map(e -> e.endedAt().orElse(first)).max(Instant::compareTo).orElseThrow();
    List<Duration> toStart = new ArrayList<>();
    List<Duration> toEnd = new ArrayList<>();
    List<Instant[]> spans = new ArrayList<>();
    Map<String, Integer> perWorker = new TreeMap<>();
    for (Execution e : rows) {
      e.startedAt().ifPresent(s -> toStart.add(Duration.between(e.requestedAt(), s)));
      if (e.startedAt().isPresent() && e.endedAt().isPresent()) {
        toEnd.add(Duration.between(e.startedAt().get(), e.endedAt().get()));
        spans.add(new Instant[] {e.startedAt().get(), e.endedAt().get()});
      }
      e.worker().ifPresent(w -> perWorker.merge(workerNames.getOrDefault(w, "worker " + w), 1, Integer::sum));
    }
    return new PhaseResult(name, rows.size(), succeeded, Duration.between(first, last), Latencies.of(toStart),
        Latencies.of(toEnd), Latencies.ofNanos(submitted.stream().map(Submitter.Submitted::storeNanos).toList()),
        Latencies.ofNanos(submitted.stream().map(Submitter.Submitted::announceNanos).toList()), peak(spans),
        perWorker, cpu.busy(), cpu.jvmCpu(), cpu.jit(), sql, rows);
  }

  double executionsPerSecond() {
    return executions / (window.toNanos() / 1e9);
  }

  private static int peak(List<Instant[]> spans) {
    // +1 at each start, -1 at each end; an end sorts before a start at the same instant
    Map<Instant, Integer> changes = new TreeMap<>();
    for (Instant[] span : spans) {
      changes.merge(span[0], 1, Integer::sum);
      changes.merge(span[1], -1, Integer::sum);
    }
    int running = 0;
    int peak = 0;
    for (int change : changes.values()) {
      running += change;
      peak = Math.max(peak, running);
    }
    return peak;
  }
}
