package io.attune.worker.core.model.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The readiness rules of a worker and of a scheduler, on fixed instants. */
class ReadinessRulesTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration STALE = Duration.ofSeconds(90);
  private static final String QUEUE = "worker.7.executions";

  private static WorkerHealth healthyWorker() {
    return new WorkerHealth(true, false, ServiceContact.NONE.succeeded(T0), STALE, true, true, QUEUE);
  }

  @Test
  void a_registered_worker_with_a_fresh_heartbeat_connected_and_consuming_is_ready() {
    Readiness readiness = healthyWorker().readiness(T0.plus(STALE).minusMillis(1));

    assertThat(readiness.ready()).isTrue();
    assertThat(readiness.reasons()).isEmpty();
  }

  @Test
  void a_worker_that_has_not_registered_is_not_ready_and_says_only_that() {
    assertThat(WorkerHealth.starting(STALE).readiness(T0).reasons()).containsExactly("not registered yet");
  }

  @Test
  void a_heartbeat_as_old_as_the_staleness_the_scheduler_applies_makes_the_worker_not_ready() {
    Readiness readiness = healthyWorker().readiness(T0.plus(STALE));

    assertThat(readiness.ready()).isFalse();
    assertThat(readiness.reasons()).containsExactly("the last heartbeat succeeded 90 s ago (stale after 90 s)");
  }

  @Test
  void a_failed_heartbeat_makes_the_worker_not_ready_at_once_and_the_next_success_ready_again() {
    ServiceContact failed = ServiceContact.NONE.succeeded(T0).failed("connection refused");
    WorkerHealth cut = new WorkerHealth(true, false, failed, STALE, true, true, QUEUE);

    assertThat(cut.readiness(T0.plusSeconds(1)).reasons())
        .containsExactly("the last heartbeat failed: connection refused");
    WorkerHealth back = new WorkerHealth(true, false, failed.succeeded(T0.plusSeconds(5)), STALE, true, true, QUEUE);
    assertThat(back.readiness(T0.plusSeconds(6)).ready()).isTrue();
  }

  @Test
  void a_worker_cut_off_from_the_broker_names_the_connection_and_its_queue_and_every_other_reason() {
    WorkerHealth worker = new WorkerHealth(true, true, ServiceContact.NONE, STALE, false, true, QUEUE);

    assertThat(worker.readiness(T0).reasons()).containsExactly("draining: takes no new work",
        "no heartbeat has succeeded yet", "not connected to RabbitMQ", "not consuming its queue " + QUEUE);
  }

  @Test
  void a_worker_whose_consumer_stopped_is_not_ready() {
    WorkerHealth worker = new WorkerHealth(true, false, ServiceContact.NONE.succeeded(T0), STALE, true, false, QUEUE);

    assertThat(worker.readiness(T0).reasons()).containsExactly("not consuming its queue " + QUEUE);
  }

  @Test
  void a_started_scheduler_whose_database_answers_and_connected_to_the_broker_is_ready() {
    SchedulerHealth scheduler = new SchedulerHealth(true, ServiceContact.NONE.succeeded(T0), true);

    assertThat(scheduler.readiness(T0.plus(SchedulerHealth.DATABASE_SILENCE).minusMillis(1)).ready()).isTrue();
    assertThat(scheduler.readiness(T0.plus(SchedulerHealth.DATABASE_SILENCE)).reasons())
        .containsExactly("the last query of the database succeeded 30 s ago (stale after 30 s)");
  }

  @Test
  void a_scheduler_is_not_ready_while_starting_nor_while_either_service_is_away() {
    assertThat(SchedulerHealth.starting().readiness(T0).reasons())
        .containsExactly("starting: not connected to PostgreSQL and RabbitMQ yet");
    SchedulerHealth cut = new SchedulerHealth(true, ServiceContact.NONE.succeeded(T0).failed("connection refused"),
        false);
    assertThat(cut.readiness(T0.plusSeconds(1)).reasons()).containsExactly(
        "the last query of the database failed: connection refused", "not connected to RabbitMQ");
  }

  @Test
  void a_contact_keeps_when_the_service_last_answered_across_failures() {
    ServiceContact contact = ServiceContact.NONE.succeeded(T0).failed("a").failed("b");

    assertThat(contact.lastSuccess()).contains(T0);
    assertThat(contact.lastFailure()).contains("b");
    assertThat(contact.age(T0.plusSeconds(4))).contains(Duration.ofSeconds(4));
    assertThat(ServiceContact.NONE.age(T0)).isEmpty();
  }
}
