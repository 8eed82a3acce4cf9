package io.attune.worker.adapter.http.out;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.placement.PlacementOutcome;
import io.attune.worker.core.model.placement.rule.RejectionCode;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.WorkerCensus;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The core's events as meters. Labels carry runtimes, statuses, outcomes and rejection codes only: a few values each,
 * never an execution id. A gauge keeps the last value the core reported for its labels, and the core reports 0
 * rather than nothing for a runtime that no longer has waiting executions.
 */
final class MicrometerObserver implements ExecutionObserver {

  /** The reason label of a wait or unschedulable decision that named no code: there was no worker at all. */
  static final String NO_WORKERS = "no_workers";

  private final MeterRegistry registry;
  private final Timer decisions;
  private final Counter dispatchFailures;
  private final Counter redeliveries;
  private final Counter publicationFailures;
  // meters with tags, built once: an event only looks up the meter of its tags
  private final Meter.MeterProvider<Counter> placingNothing;
  private final Meter.MeterProvider<Timer> submitToStart;
  private final Meter.MeterProvider<Counter> ended;
  private final Map<RuntimeName, AtomicLong> waiting = new ConcurrentHashMap<>();
  private final Map<WorkerCensus.Group, AtomicLong> workers = new ConcurrentHashMap<>();

  MicrometerObserver(MeterRegistry registry) {
    this.registry = registry;
    this.decisions = Timer.builder("attune.placement.decision")
        .description("Time to decide where an execution goes (reading the candidates included)")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    this.dispatchFailures = Counter.builder("attune.dispatch.failures")
        .description("Dispatches to a worker that were not delivered; the execution waited again")
        .register(registry);
    this.redeliveries = Counter.builder("attune.dispatch.redeliveries")
        .description("Executions whose placement never started, queued again for another placement (no run spent)")
        .register(registry);
    this.publicationFailures = Counter.builder("attune.result.publication.failures")
        .description("Announcements of an execution's end that were not published (the outcome is stored)")
        .register(registry);
    this.placingNothing = Counter.builder("attune.placement.decisions")
        .description("Decisions that placed nothing, by outcome and by each rejection code that held workers back")
        .withRegistry(registry);
    this.submitToStart = Timer.builder("attune.submit.to.start")
        .description("From an execution's submission to the start of an attempt on a worker")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(10))
        .withRegistry(registry);
    this.ended = Counter.builder("attune.executions")
        .description("Executions that ended, recorded by this process, by runtime and outcome")
        .withRegistry(registry);
  }

  @Override
  public Decision decisionStarted() {
    Timer.Sample sample = Timer.start(registry);
    return decision -> {
      sample.stop(decisions);
      if (decision.outcome() != PlacementOutcome.SELECTED) {
        countDecision(decision.outcome(), decision.reasons());
      }
    };
  }

  private void countDecision(PlacementOutcome outcome, Set<RejectionCode> reasons) {
    if (reasons.isEmpty()) {
      decisionCounter(outcome, NO_WORKERS).increment();
    }
    reasons.forEach(code -> decisionCounter(outcome, code.wireName()).increment());
  }

  private Counter decisionCounter(PlacementOutcome outcome, String reason) {
    return placingNothing.withTags("outcome", outcome.wireName(), "reason", reason);
  }

  @Override
  public void executionStarted(Execution started, Duration sinceSubmission) {
    submitToStart.withTags("runtime", started.requirements().runtime().value())
        .record(sinceSubmission.isNegative() ? Duration.ZERO : sinceSubmission);
  }

  @Override
  public void executionEnded(Execution execution) {
    ended.withTags("runtime", execution.requirements().runtime().value(), "outcome", execution.status().wireName())
        .increment();
  }

  @Override
  public void dispatchFailed(Execution execution, String reason) {
    dispatchFailures.increment();
  }

  @Override
  public void executionRedelivered(Execution requeued) {
    redeliveries.increment();
  }

  @Override
  public void resultNotPublished(ExecutionId id, String reason) {
    publicationFailures.increment();
  }

  @Override
  public void waitingCounted(Map<RuntimeName, Long> waitingByRuntime) {
    waitingByRuntime.forEach((runtime, count) -> waiting.computeIfAbsent(runtime, r -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder("attune.executions.waiting", value, AtomicLong::get)
          .description("Executions waiting to be placed (status requested), per runtime, counted in the database "
              + "by the scheduler: the queue depth autoscaling reads")
          .tag("runtime", r.value()).register(registry);
      return value;
    }).set(count));
  }

  @Override
  public void workersCounted(WorkerCensus census) {
    census.counts().forEach((group, count) -> workers.computeIfAbsent(group, g -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder("attune.workers", value, AtomicLong::get)
          .description("Registered workers by status and runtime (a worker counts once under each runtime)")
          .tag("status", g.status().wireName()).tag("runtime", g.runtime().value()).register(registry);
      return value;
    }).set(count));
  }
}
