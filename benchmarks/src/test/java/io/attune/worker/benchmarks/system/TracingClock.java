package io.attune.worker.benchmarks.system;

import io.attune.worker.core.model.execution.Execution;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The system clock, which also notes who asked for the time while recording: every role stamps its steps through
 * the clock it was given (the client its request, the scheduler its decision, the transport each envelope, the
 * worker its start), so that one execution at a time can be followed through the system without touching the
 * main code. Costs a stack walk per reading: only for the light phase, with {@code -Dbench.trace=true}.
 */
final class TracingClock extends Clock {

  private static final StackWalker WALKER = StackWalker.getInstance();

  private final Clock system = Clock.systemUTC();
  private final Queue<Reading> readings = new ConcurrentLinkedQueue<>();
  private volatile boolean recording;

  /** One reading of the clock: when, on which thread, by which method. */
  record Reading(Instant at, String thread, String caller) {
    String label() {
      return caller + " [" + thread.replaceAll("-\\d+$", "").replaceAll("\\.\\d+\\.", ".N.") + "]";
    }
  }

  void recording(boolean on) {
    recording = on;
  }

  @Override
  public Instant instant() {
    Instant now = system.instant();
    if (recording) {
      String caller = WALKER.walk(frames -> frames
          .filter(f -> !f.getClassName().startsWith("java.") && !f.getClassName().equals(TracingClock.class.getName()))
          .findFirst()
          .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName())
          .orElse("?"));
      readings.add(new Reading(now, Thread.currentThread().getName(), caller));
    }
    return now;
  }

  /**
   * For each step seen between an execution's request and its start, the median time after the request at which
   * it happened, in the order of those medians: where the submit-to-start time goes at light load.
   */
  Map<String, Duration> medianTimeline(List<Execution> executions) {
    Map<String, List<Duration>> offsets = new LinkedHashMap<>();
    List<Reading> all = new ArrayList<>(readings);
    for (Execution e : executions) {
      if (e.startedAt().isEmpty()) {
        continue;
      }
      Instant from = e.requestedAt();
      Instant to = e.startedAt().get();
      Map<String, Duration> firstSeen = new LinkedHashMap<>();
      for (Reading r : all) {
        // stored times are whole microseconds: compare at that precision
        Instant at = r.at().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        if (!at.isBefore(from) && !at.isAfter(to)) {
          firstSeen.putIfAbsent(r.label(), Duration.between(from, at));
        }
      }
      firstSeen.forEach((label, offset) -> offsets.computeIfAbsent(label, k -> new ArrayList<>()).add(offset));
    }
    Map<String, Duration> medians = new LinkedHashMap<>();
    offsets.entrySet().stream()
        .filter(entry -> entry.getValue().size() * 2 >= executions.size())
        .map(entry -> Map.entry(entry.getKey(), median(entry.getValue())))
        .sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
        .forEach(entry -> medians.put(entry.getKey(), entry.getValue()));
    return medians;
  }

  private static Duration median(List<Duration> values) {
    List<Duration> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the benchmark's clock is UTC only");
  }
}
