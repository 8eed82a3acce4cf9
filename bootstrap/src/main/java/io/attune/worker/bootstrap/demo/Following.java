package io.attune.worker.bootstrap.demo;

import io.attune.worker.core.embed.EmbeddedScheduler;
import io.attune.worker.core.embed.SchedulerListener;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.port.in.ReconcileExecutionsUseCase.Sweep;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.service.CancelExecutionService;
import io.attune.worker.core.service.ReconcileExecutionsService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The demo's scheduler and its record: the core's scheduler loop, sweeping often, until every execution has ended,
 * writing each placement and end into the execution's row and saying it, and cancelling what is left at the deadline.
 *
 * @param deadline when what has not ended is cancelled, counted from the narration's start
 */
record Following(Clock clock, Duration deadline, Narration narration) {

  /** How often the demo's scheduler sweeps; also after every end, for the slot it freed. */
  private static final Duration SWEEP_EVERY = Duration.ofMillis(200);
  private static final Duration LIVENESS_EVERY = Duration.ofSeconds(15);
  /** How long one look for ends waits. */
  private static final Duration WAIT_FOR_AN_END = Duration.ofMillis(200);

  /** Records what the scheduler placed and what ended until every execution has, or cancels what is left. */
  void untilEverythingEnded(Map<ExecutionId, DemoRow> rows, EmbeddedSystem system) throws InterruptedException {
    BlockingQueue<Scheduling> placements = new LinkedBlockingQueue<>();
    Instant giveUp = narration.start().plus(deadline);
    // waiting executions placed oldest first, abandoned only past the demo's deadline
    try (EmbeddedScheduler scheduler = EmbeddedScheduler.builder(system.registry(), system.registry(),
        system.store(), system.dispatcher()).clock(clock).settings(ReconcileExecutionsService.Settings.of(deadline, 1))
        .every(SWEEP_EVERY, LIVENESS_EVERY).listener(new SchedulerListener() {
          @Override
          public void swept(Sweep sweep) {
            placements.addAll(sweep.placements());
          }
        }).start()) {
      List<ExecutionId> endedBeforeTheirPlacement = new ArrayList<>();
      while (rows.values().stream().anyMatch(row -> !row.ended)) {
        for (Scheduling placement = placements.poll(); placement != null; placement = placements.poll()) {
          record(placement, rows.get(placement.id()));
        }
        if (recordWhatEnded(rows, system, endedBeforeTheirPlacement)) {
          scheduler.placeSoon();
        }
        if (clock.instant().isAfter(giveUp)) {
          cancelWhatIsLeft(rows, system);
          return;
        }
      }
    }
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

  /**
   * Waits a little for an execution to end, then records every one that has; true when one did. An end that comes
   * before the sweep that placed it reported the placement waits for it.
   */
  private boolean recordWhatEnded(Map<ExecutionId, DemoRow> rows, EmbeddedSystem system, List<ExecutionId> early)
      throws InterruptedException {
    List<ExecutionId> ended = new ArrayList<>(early);
    early.clear();
    ExecutionId done = system.finished().poll(WAIT_FOR_AN_END.toMillis(), TimeUnit.MILLISECONDS);
    while (done != null) {
      ended.add(done);
      done = system.finished().poll();
    }
    for (ExecutionId id : ended) {
      DemoRow row = rows.get(id);
      if (row.worker == null) {
        early.add(id);
      } else {
        recordEnded(row, system.store().find(id).orElseThrow());
      }
    }
    return ended.size() > early.size();
  }

  private void recordEnded(DemoRow row, Execution execution) {
    Duration ran = execution.startedAt().flatMap(s -> execution.endedAt().map(e -> Duration.between(s, e)))
        .orElse(Duration.ZERO);
    row.ended(execution.status().wireName(), ran, row.whyNotOthers);
    String message = execution.result().map(r -> r.message()).filter(m -> !m.isBlank()).orElse("");
    narration.say(String.format(Locale.ROOT, "#%-3s %-22s %s on %s in %s%s", row.id, row.action, row.status,
        row.worker, DemoTable.seconds(ran), message.isEmpty() ? "" : " (" + message + ")"));
  }

  private void cancelWhatIsLeft(Map<ExecutionId, DemoRow> rows, EmbeddedSystem system) {
    narration.say("deadline of " + DemoTable.seconds(deadline) + " reached: cancelling what is left");
    CancelExecutionService cancelling = new CancelExecutionService(system.store(), execution -> { }, clock,
        ExecutionObserver.NONE, system.ends());
    for (DemoRow row : rows.values()) {
      if (!row.ended) {
        cancelling.cancel(row.id);
        row.ended("cancelled", null, row.whyNotOthers);
      }
    }
  }
}
