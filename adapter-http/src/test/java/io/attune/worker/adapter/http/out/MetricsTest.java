package io.attune.worker.adapter.http.out;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.Fleet;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerCensus;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.testkit.WorkerFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The core's events as they appear in the exposition: names, labels and values, one sample per line. */
class MetricsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final Metrics metrics = Metrics.create();
  private final ExecutionObserver observer = metrics.observer();

  @AfterEach
  void close() {
    metrics.close();
  }

  private static Execution ended(long id, RuntimeName runtime, ExecutionStatus status) {
    Execution requested = Execution.requested(new ExecutionId(id), new ExecutionRequest(
        ActionRequirements.of("demo.x", runtime), Map.of()), T0);
    if (status == ExecutionStatus.UNSCHEDULABLE || status == ExecutionStatus.CANCELLED) {
      return requested.finish(0, status, ExecutionResult.message("ended"), T0).execution();
    }
    Execution running = requested.schedule(new WorkerId(1), T0).execution().start(1, new WorkerId(1), T0)
        .execution();
    return running.finish(1, status, ExecutionResult.message("ended"), T0).execution();
  }

  private List<String> lines() {
    return metrics.scrape().lines().toList();
  }

  @Test
  void ended_executions_are_counted_by_runtime_and_outcome() {
    observer.executionEnded(ended(1, RuntimeName.SHELL, ExecutionStatus.SUCCEEDED));
    observer.executionEnded(ended(2, RuntimeName.SHELL, ExecutionStatus.SUCCEEDED));
    observer.executionEnded(ended(3, RuntimeName.PYTHON, ExecutionStatus.FAILED));

    assertThat(lines()).contains("# TYPE attune_executions_total counter",
        "attune_executions_total{outcome=\"succeeded\",runtime=\"shell\"} 2.0",
        "attune_executions_total{outcome=\"failed\",runtime=\"python\"} 1.0");
    assertThat(metrics.scrape()).as("no execution id in a label").doesNotContain("execution_id").doesNotContain("=\"1\"");
  }

  @Test
  void decisions_are_timed_and_those_that_placed_nothing_counted_by_each_reason() {
    Instant now = WorkerFixture.DEFAULT_NOW;
    Worker idle = WorkerFixture.aWorker("idle").runtimes("shell").build(now);
    Worker full = WorkerFixture.aWorker("full").runtimes("shell").running(1, 1).build(now);
    Worker stale = WorkerFixture.aWorker("stale").runtimes("shell").heartbeatAgo(Duration.ofMinutes(10)).build(now);
    PlacementPolicy policy = PlacementPolicy.standard();
    ActionRequirements shell = ActionRequirements.of("demo.sh", RuntimeName.SHELL);
    ActionRequirements ruby = ActionRequirements.of("demo.rb", RuntimeName.RUBY);
    observer.decisionStarted().decided(policy.decide(shell, Fleet.of(List.of(idle)), now));
    observer.decisionStarted().decided(policy.decide(shell, Fleet.of(List.of(full, stale)), now));
    observer.decisionStarted().decided(policy.decide(ruby, Fleet.of(List.of(idle)), now));
    observer.decisionStarted().decided(policy.decide(ruby, Fleet.empty(), now));

    assertThat(lines()).contains("# TYPE attune_placement_decision_seconds histogram",
        "attune_placement_decision_seconds_count 4",
        "attune_placement_decisions_total{outcome=\"wait\",reason=\"at_capacity\"} 1.0",
        "attune_placement_decisions_total{outcome=\"wait\",reason=\"heartbeat_stale\"} 1.0",
        "attune_placement_decisions_total{outcome=\"unschedulable\",reason=\"runtime_missing\"} 1.0",
        "attune_placement_decisions_total{outcome=\"unschedulable\",reason=\"no_workers\"} 1.0");
    assertThat(lines()).noneMatch(line -> line.startsWith("attune_placement_decisions_total{outcome=\"selected\""));
  }

  @Test
  void submit_to_start_is_a_histogram_per_runtime_in_seconds() {
    Execution started = ended(1, RuntimeName.NODE, ExecutionStatus.SUCCEEDED);
    observer.executionStarted(started, Duration.ofMillis(1500));

    assertThat(lines()).contains("# TYPE attune_submit_to_start_seconds histogram",
        "attune_submit_to_start_seconds_count{runtime=\"node\"} 1",
        "attune_submit_to_start_seconds_sum{runtime=\"node\"} 1.5");
  }

  @Test
  void the_waiting_gauge_follows_the_last_count_and_falls_to_zero() {
    observer.waitingCounted(Map.of(RuntimeName.PYTHON, 7L, RuntimeName.of("ml"), 2L));
    assertThat(lines()).contains("attune_executions_waiting{runtime=\"python\"} 7.0",
        "attune_executions_waiting{runtime=\"ml\"} 2.0");

    observer.waitingCounted(Map.of(RuntimeName.PYTHON, 0L, RuntimeName.of("ml"), 0L));
    assertThat(lines()).contains("attune_executions_waiting{runtime=\"python\"} 0.0",
        "attune_executions_waiting{runtime=\"ml\"} 0.0");
  }

  @Test
  void workers_are_a_gauge_by_status_and_runtime() {
    observer.workersCounted(new WorkerCensus(Map.of(new WorkerCensus.Group(WorkerStatus.ACTIVE, RuntimeName.SHELL),
        3L, new WorkerCensus.Group(WorkerStatus.DRAINING, RuntimeName.SHELL), 1L)));

    assertThat(lines()).contains("attune_workers{runtime=\"shell\",status=\"active\"} 3.0",
        "attune_workers{runtime=\"shell\",status=\"draining\"} 1.0");
  }

  @Test
  void failures_to_dispatch_and_to_publish_are_counters() {
    observer.dispatchFailed(ended(1, RuntimeName.SHELL, ExecutionStatus.SUCCEEDED), "nack");
    observer.executionRedelivered(ended(4, RuntimeName.SHELL, ExecutionStatus.SUCCEEDED));
    observer.resultNotPublished(new ExecutionId(2), "not confirmed");
    observer.resultNotPublished(new ExecutionId(3), "not confirmed");

    assertThat(lines()).contains("attune_dispatch_failures_total 1.0", "attune_dispatch_redeliveries_total 1.0",
        "attune_result_publication_failures_total 2.0");
  }

  @Test
  void a_worker_shows_its_slots_and_the_age_of_its_last_heartbeat() {
    AtomicInteger used = new AtomicInteger(3);
    metrics.workerGauges(used::get, 10, () -> Optional.of(Duration.ofMillis(2500)));
    System.gc(); // the suppliers are lambdas held by nothing else: the gauges must keep them

    assertThat(lines()).contains("attune_worker_slots{state=\"used\"} 3.0", "attune_worker_slots{state=\"free\"} 7.0",
        "attune_worker_heartbeat_age_seconds 2.5");
    used.set(10);
    assertThat(lines()).contains("attune_worker_slots{state=\"free\"} 0.0");
  }

  @Test
  void the_jvm_meters_are_there() {
    assertThat(metrics.scrape()).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded",
        "process_uptime_seconds", "system_cpu_count", "jvm_gc_");
  }
}
