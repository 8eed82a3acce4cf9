package io.attune.worker.core.model.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.WorkerId;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExecutionLifecycleTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final WorkerId W1 = new WorkerId(1);
  private static final WorkerId W2 = new WorkerId(2);
  private static final ExecutionResult OK = new ExecutionResult(Optional.of(0), "out", "", Map.of("k", "v"), "ok");

  private static Execution requested() {
    return Execution.requested(new ExecutionId(1),
        new ExecutionRequest(ActionRequirements.of("demo.hello", RuntimeName.SHELL), Map.of("name", "Ada")), T0);
  }

  private static Execution applied(Transition t) {
    assertThat(t).isInstanceOf(Transition.Applied.class);
    return t.execution();
  }

  private static Execution scheduled() {
    return applied(requested().schedule(W1, T0));
  }

  private static Execution running() {
    Execution s = scheduled();
    return applied(s.start(s.attempt(), W1, T0.plusSeconds(1)));
  }

  @Test
  void a_requested_execution_has_no_attempt_worker_or_result() {
    Execution e = requested();

    assertThat(e.status()).isEqualTo(ExecutionStatus.REQUESTED);
    assertThat(e.attempt()).isZero();
    assertThat(e.worker()).isEmpty();
    assertThat(e.result()).isEmpty();
    assertThat(e.parameters()).containsEntry("name", "Ada");
  }

  @Test
  void the_happy_path_runs_requested_scheduled_running_succeeded() {
    Execution s = scheduled();
    assertThat(s.status()).isEqualTo(ExecutionStatus.SCHEDULED);
    assertThat(s.attempt()).isEqualTo(1);
    assertThat(s.worker()).contains(W1);

    Execution r = applied(s.start(1, W1, T0.plusSeconds(1)));
    assertThat(r.status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(r.startedAt()).contains(T0.plusSeconds(1));

    Execution done = applied(r.finish(1, ExecutionStatus.SUCCEEDED, OK, T0.plusSeconds(2)));
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.result()).contains(OK);
    assertThat(done.endedAt()).contains(T0.plusSeconds(2));
    assertThat(done.status().isTerminal()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(value = ExecutionStatus.class, names = {"SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED"})
  void a_running_execution_accepts_every_work_outcome(ExecutionStatus outcome) {
    assertThat(applied(running().finish(1, outcome, OK, T0)).status()).isEqualTo(outcome);
  }

  @ParameterizedTest
  @EnumSource(value = ExecutionStatus.class, names = {"REQUESTED", "SCHEDULED", "RUNNING", "ABANDONED",
      "UNSCHEDULABLE"})
  void a_worker_cannot_report_a_status_that_is_not_a_work_outcome(ExecutionStatus notAnOutcome) {
    Execution r = running();

    Transition t = r.finish(1, notAnOutcome, OK, T0);

    assertThat(t).isInstanceOfSatisfying(Transition.Refused.class, refused -> {
      assertThat(refused.reason()).contains(notAnOutcome.wireName());
      assertThat(refused.execution()).isSameAs(r);
    });
  }

  @Test
  void a_requested_execution_can_be_abandoned_when_scheduling_gives_up() {
    Execution requested = Execution.requested(new ExecutionId(9),
        new ExecutionRequest(ActionRequirements.of("p.a", RuntimeName.SHELL), Map.of()), T0);

    Execution abandoned = applied(requested.abandon(0, "no worker within 300 s", T0.plusSeconds(300)));

    assertThat(abandoned.status()).isEqualTo(ExecutionStatus.ABANDONED);
    assertThat(abandoned.result()).hasValueSatisfying(r -> assertThat(r.message()).contains("300 s"));
  }

  @Test
  void success_cannot_be_reported_before_the_start() {
    Execution s = scheduled();

    Transition t = s.finish(1, ExecutionStatus.SUCCEEDED, OK, T0);

    assertThat(t).isInstanceOfSatisfying(Transition.Refused.class,
        refused -> assertThat(refused.reason()).contains("cannot go from scheduled to succeeded"));
    assertThat(t.execution()).isSameAs(s);
  }

  @Test
  void the_successor_table_is_the_documented_lifecycle() {
    Map<ExecutionStatus, Set<ExecutionStatus>> expected = new java.util.EnumMap<>(ExecutionStatus.class);
    expected.put(ExecutionStatus.REQUESTED, EnumSet.of(ExecutionStatus.SCHEDULED, ExecutionStatus.UNSCHEDULABLE,
        ExecutionStatus.CANCELLED, ExecutionStatus.ABANDONED));
    expected.put(ExecutionStatus.SCHEDULED, EnumSet.of(ExecutionStatus.RUNNING, ExecutionStatus.REQUESTED,
        ExecutionStatus.FAILED, ExecutionStatus.CANCELLED, ExecutionStatus.ABANDONED));
    expected.put(ExecutionStatus.RUNNING, EnumSet.of(ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED,
        ExecutionStatus.TIMED_OUT, ExecutionStatus.CANCELLED, ExecutionStatus.ABANDONED, ExecutionStatus.REQUESTED));
    for (ExecutionStatus terminal : EnumSet.of(ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED,
        ExecutionStatus.TIMED_OUT, ExecutionStatus.CANCELLED, ExecutionStatus.ABANDONED,
        ExecutionStatus.UNSCHEDULABLE)) {
      expected.put(terminal, EnumSet.noneOf(ExecutionStatus.class));
    }

    for (ExecutionStatus from : ExecutionStatus.values()) {
      assertThat(from.successors()).as(from.wireName()).isEqualTo(expected.get(from));
      assertThat(from.isTerminal()).as(from.wireName()).isEqualTo(expected.get(from).isEmpty());
      for (ExecutionStatus to : ExecutionStatus.values()) {
        assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(expected.get(from).contains(to));
      }
    }
  }

  @Test
  void an_ended_execution_refuses_every_further_change() {
    Execution done = applied(running().finish(1, ExecutionStatus.SUCCEEDED, OK, T0));

    assertThat(done.schedule(W2, T0)).isInstanceOf(Transition.Refused.class);
    assertThat(done.start(1, W1, T0)).isInstanceOf(Transition.Refused.class);
    assertThat(done.finish(1, ExecutionStatus.FAILED, OK, T0)).isInstanceOf(Transition.Refused.class);
    assertThat(done.requeue(1, "lost", T0)).isInstanceOf(Transition.Refused.class);
    assertThat(done.abandon(1, "lost", T0)).isInstanceOf(Transition.Refused.class);
    assertThat(done.cancel("stop", T0)).isInstanceOf(Transition.Refused.class);
    assertThat(done.markUnschedulable(OK, T0)).isInstanceOf(Transition.Refused.class);
  }

  @Test
  void a_placed_execution_cannot_be_placed_again_or_marked_unschedulable() {
    Execution s = scheduled();

    assertThat(s.schedule(W2, T0)).isInstanceOf(Transition.Refused.class);
    assertThat(s.markUnschedulable(OK, T0)).isInstanceOf(Transition.Refused.class);
    assertThat(requested().start(0, W1, T0)).isInstanceOf(Transition.Refused.class);
  }

  @Test
  void a_requested_execution_can_be_marked_unschedulable_with_its_explanation() {
    ExecutionResult explanation = ExecutionResult.structured(Map.of("outcome", "unschedulable"), "no worker");

    Execution u = applied(requested().markUnschedulable(explanation, T0));

    assertThat(u.status()).isEqualTo(ExecutionStatus.UNSCHEDULABLE);
    assertThat(u.result().flatMap(ExecutionResult::structured)).contains(Map.of("outcome", "unschedulable"));
    assertThat(u.endedAt()).contains(T0);
  }

  @Test
  void each_placement_starts_a_new_attempt_and_requeue_clears_the_worker() {
    Execution r = running();

    Execution again = applied(r.requeue(1, "worker lost", T0));
    assertThat(again.status()).isEqualTo(ExecutionStatus.REQUESTED);
    assertThat(again.worker()).isEmpty();
    assertThat(again.attempt()).isEqualTo(1);
    assertThat(again.startedAt()).isEmpty();
    assertThat(again.result().map(ExecutionResult::message)).contains("worker lost");

    Execution second = applied(again.schedule(W2, T0));
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.worker()).contains(W2);
  }

  @Test
  void a_scheduled_execution_can_be_requeued_before_it_started() {
    assertThat(applied(scheduled().requeue(1, "dispatch failed", T0)).status()).isEqualTo(ExecutionStatus.REQUESTED);
  }

  @Test
  void a_late_result_from_an_earlier_attempt_is_refused_once_a_later_attempt_runs_and_names_both_attempts() {
    Execution second = applied(applied(applied(running().requeue(1, "lost", T0)).schedule(W2, T0)).start(2, W2, T0));

    Transition late = second.finish(1, ExecutionStatus.SUCCEEDED, OK, T0);
    Transition lateStart = second.start(1, W1, T0);

    assertThat(late).isInstanceOfSatisfying(Transition.Refused.class, refused -> {
      assertThat(refused.reason()).contains("attempt 2").contains("attempt 1");
      assertThat(refused.execution()).isSameAs(second);
    });
    assertThat(lateStart).isInstanceOf(Transition.Refused.class);
  }

  @Test
  void the_run_of_a_requeued_attempt_that_ends_before_the_next_attempt_starts_ends_the_execution() {
    Execution second = applied(applied(running().requeue(1, "worker judged lost", T0.plusSeconds(5)))
        .schedule(W2, T0.plusSeconds(6)));

    Execution done = applied(second.finish(1, ExecutionStatus.SUCCEEDED, OK, T0.plusSeconds(7)));

    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.worker()).as("the worker whose run it was").contains(W1);
    assertThat(done.result()).contains(OK);
    assertThat(done.startedAt()).contains(T0.plusSeconds(1));
    assertThat(done.attempts().get(0).outcome()).contains(AttemptOutcome.SUCCEEDED);
    assertThat(done.attempts().get(1).outcome()).as("attempt 2 never started").contains(AttemptOutcome.SUPERSEDED);
    assertThat(done.attempts().get(1).reason()).contains("attempt 1").contains("worker 1");
    assertThat(done.start(2, W2, T0.plusSeconds(8))).as("its late start").isInstanceOf(Transition.Refused.class);
  }

  @Test
  void a_result_arriving_after_requeue_but_before_the_next_placement_ends_the_execution() {
    Execution requeued = applied(running().requeue(1, "lost", T0));

    Execution done = applied(requeued.finish(1, ExecutionStatus.FAILED, OK, T0.plusSeconds(1)));

    assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(done.attempts()).hasSize(1);
    assertThat(done.attempts().get(0).outcome()).contains(AttemptOutcome.FAILED);
    assertThat(requeued.start(1, W1, T0)).isInstanceOf(Transition.Refused.class);
  }

  @Test
  void a_late_result_of_an_attempt_that_never_started_is_refused() {
    Execution placed = scheduled();
    Execution requeued = applied(placed.requeue(1, "dispatch lost", T0.plusSeconds(1)));

    assertThat(requeued.finish(1, ExecutionStatus.SUCCEEDED, OK, T0.plusSeconds(2)))
        .isInstanceOf(Transition.Refused.class);
  }

  @Test
  void only_the_worker_an_attempt_was_placed_on_may_start_it() {
    Execution placed = scheduled();

    Transition misrouted = placed.start(1, W2, T0.plusSeconds(1));

    assertThat(misrouted).isInstanceOfSatisfying(Transition.Refused.class, refused ->
        assertThat(refused.reason()).contains("placed on worker 1, not on worker 2"));
    assertThat(placed.placedElsewhere(1, W2)).isTrue();
    assertThat(placed.placedElsewhere(1, W1)).isFalse();
    assertThat(applied(placed.start(1, W1, T0.plusSeconds(1))).status()).isEqualTo(ExecutionStatus.RUNNING);
  }

  @Test
  void a_late_cancelled_from_a_drained_worker_does_not_cancel_the_requeued_execution() {
    // the hole of issue 10, scenario 6: requeue keeps the attempt number, and requested -> cancelled is legal
    Execution requeued = applied(running().requeue(1, "worker presumed dead", T0));

    Transition late = requeued.finish(1, ExecutionStatus.CANCELLED, ExecutionResult.message("drained"), T0);

    assertThat(late).isInstanceOfSatisfying(Transition.Refused.class,
        refused -> assertThat(refused.reason()).contains("no longer holds a worker"));
    assertThat(applied(requeued.cancel("by an operator", T0)).status()).isEqualTo(ExecutionStatus.CANCELLED);
  }

  @Test
  void since_is_when_the_execution_entered_its_status_so_a_requeued_one_waits_again_from_its_requeue() {
    Execution submitted = requested();
    Execution placed = applied(submitted.schedule(W1, T0.plusSeconds(5)));
    Execution started = applied(placed.start(1, W1, T0.plusSeconds(6)));
    Execution requeued = applied(started.requeue(1, "lost", T0.plusSeconds(600)));

    assertThat(submitted.since()).isEqualTo(T0);
    assertThat(placed.since()).isEqualTo(T0.plusSeconds(5));
    assertThat(started.since()).isEqualTo(T0.plusSeconds(6));
    assertThat(requeued.since()).isEqualTo(T0.plusSeconds(600));
    assertThat(requeued.requestedAt()).as("the submission time stays").isEqualTo(T0);
    assertThat(requeued.inStatusFor(T0.plusSeconds(610))).hasSeconds(10);
  }

  @Test
  void abandon_ends_the_execution_and_keeps_the_reason() {
    Execution abandoned = applied(running().abandon(1, "no attempt left", T0.plusSeconds(9)));

    assertThat(abandoned.status()).isEqualTo(ExecutionStatus.ABANDONED);
    assertThat(abandoned.result().map(ExecutionResult::message)).contains("no attempt left");
    assertThat(abandoned.endedAt()).contains(T0.plusSeconds(9));
    assertThat(abandoned.abandon(1, "again", T0)).isInstanceOf(Transition.Refused.class);
  }

  @Test
  void a_stale_abandon_from_an_earlier_attempt_is_refused() {
    Execution second = applied(applied(running().requeue(1, "lost", T0)).schedule(W2, T0));

    assertThat(second.abandon(1, "late monitor", T0)).isInstanceOf(Transition.Refused.class);
    assertThat(second.requeue(1, "late monitor", T0)).isInstanceOf(Transition.Refused.class);
  }

  @Test
  void cancel_works_while_requested_scheduled_or_running() {
    assertThat(applied(requested().cancel("stop", T0)).status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(applied(scheduled().cancel("stop", T0)).status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(applied(running().cancel("stop", T0)).status()).isEqualTo(ExecutionStatus.CANCELLED);
  }

  @Test
  void statuses_read_and_print_their_wire_names() {
    assertThat(ExecutionStatus.parse("timed_out")).contains(ExecutionStatus.TIMED_OUT);
    assertThat(ExecutionStatus.parse(" Unschedulable ")).contains(ExecutionStatus.UNSCHEDULABLE);
    assertThat(ExecutionStatus.parse("done")).isEmpty();
    assertThat(ExecutionStatus.TIMED_OUT.wireName()).isEqualTo("timed_out");
    assertThat(ExecutionStatus.RUNNING.holdsWorker()).isTrue();
    assertThat(ExecutionStatus.REQUESTED.holdsWorker()).isFalse();
  }

  @Test
  void each_placement_is_an_attempt_with_its_worker_times_and_outcome() {
    Execution r = running();
    Execution requeued = applied(r.requeue(1, "worker lost", T0.plusSeconds(5)));
    Execution again = applied(requeued.schedule(W2, T0.plusSeconds(6)));
    Execution started = applied(again.start(2, W2, T0.plusSeconds(7)));
    Execution done = applied(started.finish(2, ExecutionStatus.SUCCEEDED, OK, T0.plusSeconds(8)));

    assertThat(done.attempts()).containsExactly(
        new Attempt(1, W1, T0, Optional.of(T0.plusSeconds(1)), Optional.of(T0.plusSeconds(5)),
            Optional.of(AttemptOutcome.REQUEUED), "worker lost"),
        new Attempt(2, W2, T0.plusSeconds(6), Optional.of(T0.plusSeconds(7)), Optional.of(T0.plusSeconds(8)),
            Optional.of(AttemptOutcome.SUCCEEDED), "ok"));
  }

  @Test
  void a_cancel_request_of_a_requested_or_scheduled_execution_cancels_it_at_once() {
    Execution fromRequested = applied(requested().requestCancel("stop", T0));
    assertThat(fromRequested.status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(fromRequested.attempts()).isEmpty();

    Execution fromScheduled = applied(scheduled().requestCancel("stop", T0.plusSeconds(1)));
    assertThat(fromScheduled.status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(fromScheduled.attempts().get(0).outcome()).contains(AttemptOutcome.CANCELLED);
    // its worker can no longer start it
    assertThat(fromScheduled.start(1, W1, T0.plusSeconds(2))).isInstanceOf(Transition.Refused.class);
  }

  @Test
  void a_cancel_request_of_a_running_execution_is_recorded_for_its_worker_and_it_keeps_running() {
    Execution pending = applied(running().requestCancel("stop", T0.plusSeconds(3)));

    assertThat(pending.status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(pending.cancelRequestedAt()).contains(T0.plusSeconds(3));
    assertThat(pending.cancelPending()).isTrue();
    assertThat(pending.requestCancel("again", T0.plusSeconds(4))).isInstanceOf(Transition.Refused.class);

    Execution cancelled = applied(pending.finish(1, ExecutionStatus.CANCELLED, ExecutionResult.message("ended"),
        T0.plusSeconds(5)));
    assertThat(cancelled.status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(cancelled.cancelPending()).isFalse();
  }

  @Test
  void a_worker_finishing_as_the_cancel_is_requested_keeps_its_outcome() {
    Execution pending = applied(running().requestCancel("stop", T0.plusSeconds(3)));

    Execution done = applied(pending.finish(1, ExecutionStatus.SUCCEEDED, OK, T0.plusSeconds(4)));

    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.requestCancel("too late", T0.plusSeconds(5))).isInstanceOf(Transition.Refused.class);
  }

  @Test
  void recovery_does_not_requeue_an_execution_whose_cancel_is_pending_it_ends_it_cancelled() {
    Execution pending = applied(running().requestCancel("stop", T0.plusSeconds(3)));

    Execution requeued = applied(pending.requeue(1, "worker lost", T0.plusSeconds(9)));
    Execution abandoned = applied(pending.abandon(1, "no attempts left", T0.plusSeconds(9)));

    assertThat(requeued.status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(requeued.result().orElseThrow().message()).contains("worker lost");
    assertThat(requeued.attempts().get(0).outcome()).contains(AttemptOutcome.CANCELLED);
    assertThat(abandoned.status()).isEqualTo(ExecutionStatus.CANCELLED);
  }

  @ParameterizedTest
  @EnumSource(value = ExecutionStatus.class, names = {"SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED"})
  void a_cancel_request_of_an_ended_execution_changes_nothing(ExecutionStatus outcome) {
    Execution done = applied(running().finish(1, outcome, OK, T0.plusSeconds(2)));

    Transition t = done.requestCancel("stop", T0.plusSeconds(3));

    assertThat(t).isInstanceOf(Transition.Refused.class);
    assertThat(t.execution()).isEqualTo(done);
    assertThat(((Transition.Refused) t).reason()).contains("already ended").contains(outcome.wireName());
  }

  @Test
  void attempts_round_trip_through_their_tree() {
    Execution done = applied(running().finish(1, ExecutionStatus.FAILED, OK, T0.plusSeconds(2)));
    Execution pendingOnly = scheduled();

    assertThat(AttemptTree.fromTree(AttemptTree.toTree(done.attempts()), "test")).isEqualTo(done.attempts());
    assertThat(AttemptTree.fromTree(AttemptTree.toTree(pendingOnly.attempts()), "test"))
        .isEqualTo(pendingOnly.attempts());
    assertThat(AttemptTree.toTree(done.attempts().get(0))).containsEntry("outcome", "failed")
        .containsEntry("worker_id", 1L).containsEntry("scheduled_at", "2026-01-01T00:00:00Z");
  }
}
