package io.attune.worker.core.model.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.retry.Backoff;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.WorkerId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedeliveryPaceTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final WorkerId W = new WorkerId(1);
  private static final RedeliveryPace PACE = new RedeliveryPace(new Backoff(Duration.ofSeconds(1),
      Duration.ofSeconds(4)));

  private static Execution requested() {
    return Execution.requested(new ExecutionId(1),
        new ExecutionRequest(ActionRequirements.of("demo.hello", RuntimeName.SHELL), Map.of()), T0);
  }

  /** Placed at {@code at} and requeued a second later without starting. */
  private static Execution redelivered(Execution waiting, Instant at) {
    Execution placed = waiting.schedule(W, at).execution();
    return placed.requeueUndelivered(placed.attempt(), "unroutable", at.plusSeconds(1)).execution();
  }

  @Test
  void a_new_execution_is_placed_at_once() {
    assertThat(PACE.notBefore(requested())).isEmpty();
  }

  @Test
  void each_redelivery_waits_twice_as_long_as_the_one_before_from_its_requeue_up_to_the_longest() {
    Execution once = redelivered(requested(), T0);
    Execution twice = redelivered(once, T0.plusSeconds(10));
    Execution thrice = redelivered(twice, T0.plusSeconds(20));
    Execution fourTimes = redelivered(thrice, T0.plusSeconds(30));

    assertThat(PACE.notBefore(once)).contains(T0.plusSeconds(1 + 1));
    assertThat(PACE.notBefore(twice)).contains(T0.plusSeconds(11 + 2));
    assertThat(PACE.notBefore(thrice)).contains(T0.plusSeconds(21 + 4));
    assertThat(PACE.notBefore(fourTimes)).as("no longer than the longest").contains(T0.plusSeconds(31 + 4));
  }

  @Test
  void an_execution_whose_run_was_lost_is_placed_again_at_once() {
    Execution placed = requested().schedule(W, T0).execution();
    Execution started = placed.start(placed.attempt(), W, T0.plusSeconds(1)).execution();

    Execution requeued = started.requeue(started.attempt(), "worker lost", T0.plusSeconds(60)).execution();

    assertThat(requeued.status()).isEqualTo(ExecutionStatus.REQUESTED);
    assertThat(PACE.notBefore(requeued)).as("not a redelivery: its attempt ran").isEmpty();
  }

  @Test
  void a_placed_execution_has_no_pace() {
    Execution placedAgain = redelivered(requested(), T0).schedule(W, T0.plusSeconds(5)).execution();

    assertThat(PACE.notBefore(placedAgain)).isEmpty();
  }
}
