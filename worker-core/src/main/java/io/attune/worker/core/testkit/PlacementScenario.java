package io.attune.worker.core.testkit;

import io.attune.worker.core.model.placement.Fleet;
import io.attune.worker.core.model.placement.PlacementOutcome;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.placement.PlacementReport;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.rule.Rejection;
import io.attune.worker.core.model.placement.rule.RejectionCode;
import io.attune.worker.core.model.worker.Worker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A placement test in a few lines:
 *
 * <pre>{@code
 * var result = given(aWorker("py").runtimes("shell", "python").running(3, 10), aWorker("sh").runtimes("shell"))
 *     .place(anAction("demo.hello").runtime("python"));
 * assertEquals(Optional.of("py"), result.selectedName());
 * assertEquals(List.of(RejectionCode.RUNTIME_MISSING), result.rejectionCodes("sh"));
 * }</pre>
 */
public final class PlacementScenario {

  private final List<WorkerFixture> fixtures;
  private Instant now = WorkerFixture.DEFAULT_NOW;
  private PlacementPolicy policy = PlacementPolicy.standard();

  private PlacementScenario(List<WorkerFixture> fixtures) {
    this.fixtures = List.copyOf(fixtures);
  }

  /** A scenario with these workers. */
  public static PlacementScenario given(WorkerFixture... workers) {
    return new PlacementScenario(List.of(workers));
  }

  /** Evaluates liveness at this instant; heartbeat ages are relative to it. */
  public PlacementScenario at(Instant instant) {
    this.now = instant;
    return this;
  }

  /** Uses another policy, e.g. with a custom rule. */
  public PlacementScenario withPolicy(PlacementPolicy custom) {
    this.policy = custom;
    return this;
  }

  /** The workers as built at the scenario's instant. */
  public List<Worker> workers() {
    List<Worker> built = new ArrayList<>();
    for (WorkerFixture fixture : fixtures) {
      built.add(fixture.build(now));
    }
    return built;
  }

  /** Places the action with the full explanation; the last tie is broken by name, so results are repeatable. */
  public Result place(ActionFixture action) {
    return place(action.build());
  }

  public Result place(ActionRequirements action) {
    return new Result(policy.explain(action, workers(), now));
  }

  /** Places the action on the scheduler's fast path (ties rotate between calls). */
  public io.attune.worker.core.model.placement.PlacementDecision decide(ActionFixture action) {
    return policy.decide(action.build(), Fleet.of(workers()), now);
  }

  /** A placement's report with shortcuts for assertions. */
  public record Result(PlacementReport report) {

    public PlacementOutcome outcome() {
      return report.outcome();
    }

    /** The chosen worker's name. */
    public Optional<String> selectedName() {
      return report.selected().map(Worker::name);
    }

    /** The rejection codes of a worker, in rule order; empty when it is eligible. */
    public List<RejectionCode> rejectionCodes(String workerName) {
      return rejections(workerName).stream().map(Rejection::code).toList();
    }

    public List<Rejection> rejections(String workerName) {
      return report.assessmentOf(workerName)
          .orElseThrow(() -> new IllegalArgumentException("no worker named " + workerName + " in the scenario"))
          .rejections();
    }

    /** The names of the eligible workers. */
    public List<String> eligibleNames() {
      return report.workers().stream().filter(a -> a.eligible()).map(a -> a.worker().name()).toList();
    }
  }
}
