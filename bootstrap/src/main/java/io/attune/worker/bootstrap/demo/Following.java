package io.attune.worker.bootstrap.demo;

import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.service.ReconcileExecutionsService;
import io.attune.worker.core.service.ScheduleExecutionService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The demo's scheduler and its record: sweeps until every execution has ended, writing each placement and end into
 * the execution's row and saying it, and cancels what is left at the deadline.
 *
 * @param deadline when what has not ended is cancelled, counted from the narration's start
 */
record Following(Clock clock, Duration deadline, Narration narration) {

  /** Sweeps and reports what ended until every execution has ended, or cancels what is left at the deadline. */
  void untilEverythingEnded(Map<ExecutionId, DemoRow> rows, EmbeddedSystem system) throws InterruptedException {
    ReconcileExecutionsService sweep = sweep(system);
    Instant giveUp = narration.start().plus(deadline);
    while (rows.values().stream().anyMatch(row -> !row.ended)) {
      sweep.sweep().placements().forEach(placement -> record(placement, rows.get(placement.id())));
      recordWhatEnded(rows, system, 200);
      if (clock.instant().isAfter(giveUp)) {
        cancelWhatIsLeft(rows, system.store());
        return;
      }
    }
  }

  /**
   * The scheduler's own sweep from the core: waiting executions placed oldest first, abandoned only past the
   * demo's deadline.
   */
  private ReconcileExecutionsService sweep(EmbeddedSystem system) {
    ScheduleExecutionService scheduling = new ScheduleExecutionService(system.registry(), system.store(),
        system.dispatcher(), PlacementPolicy.standard(), clock);
    return new ReconcileExecutionsService(system.store(), scheduling, clock,
        ReconcileExecutionsService.Settings.of(deadline, 1));
  }

  /** Updates the row with one placement of the sweep and says what happened to it. */
  private void record(Scheduling placement, DemoRow row) {
    if (placement instanceof Scheduling.Dispatched dispatched) {
      row.dispatched(dispatched.worker().name(), DemoTable.whyNotOthers(dispatched.decision().explain(),
          dispatched.worker().name()), narration.elapsed());
      narration.say(String.format(Locale.ROOT, "#%-3s %-22s -> %-13s %s%s", row.id, row.action, row.worker,
          row.waits > 0 ? "after waiting " + DemoTable.seconds(row.waited()) + " " : "", "| " + row.whyNotOthers));
    } else if (placement instanceof Scheduling.Waiting) {
      if (row.waits++ == 0) {
        row.waitingSince = narration.elapsed();
        narration.say(String.format(Locale.ROOT, "#%-3s %-22s waits: every worker that can run it is at capacity",
            row.id, row.action));
      }
    } else if (placement instanceof Scheduling.Unschedulable unschedulable) {
      row.ended("unschedulable", null, DemoTable.whyNotOthers(unschedulable.explanation(), null));
      narration.say(String.format(Locale.ROOT, "#%-3s %-22s unschedulable | %s", row.id, row.action,
          row.whyNotOthers));
    } else {
      row.ended("skipped", null, ((Scheduling.Skipped) placement).reason());
    }
  }

  /** Waits up to {@code waitMillis} for an execution to end, then records every one that has. */
  private void recordWhatEnded(Map<ExecutionId, DemoRow> rows, EmbeddedSystem system, long waitMillis)
      throws InterruptedException {
    ExecutionId done = system.finished().poll(waitMillis, TimeUnit.MILLISECONDS);
    while (done != null) {
      recordEnded(rows.get(done), system.store().find(done).orElseThrow());
      done = system.finished().poll();
    }
  }

  private void recordEnded(DemoRow row, Execution execution) {
    Duration ran = execution.startedAt().flatMap(s -> execution.endedAt().map(e -> Duration.between(s, e)))
        .orElse(Duration.ZERO);
    row.ended(execution.status().wireName(), ran, row.whyNotOthers);
    String message = execution.result().map(r -> r.message()).filter(m -> !m.isBlank()).orElse("");
    narration.say(String.format(Locale.ROOT, "#%-3s %-22s %s on %s in %s%s", row.id, row.action, row.status,
        row.worker, DemoTable.seconds(ran), message.isEmpty() ? "" : " (" + message + ")"));
  }

  private void cancelWhatIsLeft(Map<ExecutionId, DemoRow> rows, InMemoryExecutionStore store) {
    narration.say("deadline of " + DemoTable.seconds(deadline) + " reached: cancelling what is left");
    for (DemoRow row : rows.values()) {
      if (!row.ended) {
        store.cancel(row.id, "the demo's deadline passed", clock.instant());
        row.ended("cancelled", null, row.whyNotOthers);
      }
    }
  }
}
