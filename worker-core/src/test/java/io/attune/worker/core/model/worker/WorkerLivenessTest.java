package io.attune.worker.core.model.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.runtime.RuntimeName;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WorkerLivenessTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Worker worker(Duration interval, Instant lastHeartbeat) {
    return new Worker(new WorkerId(1), "w-1", WorkerType.LOCAL, "h", WorkerStatus.ACTIVE, false,
        Capabilities.builder().runtime(RuntimeName.SHELL).build(), interval, lastHeartbeat, 0);
  }

  @Test
  void a_heartbeat_exactly_three_intervals_old_is_stale() {
    Worker w = worker(Duration.ofSeconds(30), T0);

    assertThat(w.isFresh(T0.plusSeconds(90))).isFalse();
  }

  @Test
  void a_heartbeat_one_millisecond_younger_than_three_intervals_is_fresh() {
    Worker w = worker(Duration.ofSeconds(30), T0);

    assertThat(w.isFresh(T0.plusSeconds(90).minusMillis(1))).isTrue();
  }

  @Test
  void a_worker_that_never_heartbeated_is_stale() {
    Worker w = worker(Duration.ofSeconds(30), null);

    assertThat(w.isFresh(T0)).isFalse();
    assertThat(w.heartbeatAge(T0)).isEmpty();
    assertThat(w.lastHeartbeatAt()).isEmpty();
  }

  @Test
  void staleness_follows_each_worker_s_own_interval() {
    Worker quick = worker(Duration.ofSeconds(5), T0);

    assertThat(quick.staleAfter()).isEqualTo(Duration.ofSeconds(15));
    assertThat(quick.isFresh(T0.plusSeconds(15))).isFalse();
    assertThat(quick.isFresh(T0.plusSeconds(14))).isTrue();
  }

  @Test
  void the_heartbeat_age_is_measured_from_the_given_instant() {
    assertThat(worker(Duration.ofSeconds(30), T0).heartbeatAge(T0.plusSeconds(42))).contains(Duration.ofSeconds(42));
  }

  @Test
  void a_registered_worker_is_active_uncordoned_idle_and_fresh() {
    WorkerRegistration registration = new WorkerRegistration("w-1", WorkerType.CONTAINER, null,
        Capabilities.builder().runtime(RuntimeName.SHELL).build(), WorkerRegistration.DEFAULT_HEARTBEAT_INTERVAL);

    Worker w = Worker.registered(new WorkerId(7), registration, T0);

    assertThat(w.isActive()).isTrue();
    assertThat(w.cordoned()).isFalse();
    assertThat(w.running()).isZero();
    assertThat(w.host()).isEmpty();
    assertThat(w.isFresh(T0)).isTrue();
  }

  @Test
  void load_follows_running_and_the_limit() {
    Worker w = worker(Duration.ofSeconds(30), T0).withRunning(9);

    assertThat(w.load()).isEqualTo(0.9);
    assertThat(w.withRunning(10).load()).isEqualTo(1.0);
  }

  @Test
  void invalid_names_and_intervals_are_refused_with_the_value() {
    assertThatThrownBy(() -> new WorkerRegistration("bad name", WorkerType.LOCAL, "h",
        Capabilities.builder().build(), Duration.ofSeconds(30))).hasMessageContaining("'bad name'");
    assertThatThrownBy(() -> new WorkerRegistration("ok", WorkerType.LOCAL, "h",
        Capabilities.builder().build(), Duration.ZERO)).hasMessageContaining("must be positive");
    assertThatThrownBy(() -> worker(Duration.ofSeconds(30), T0).withRunning(-1))
        .hasMessageContaining("must not be negative");
  }
}
