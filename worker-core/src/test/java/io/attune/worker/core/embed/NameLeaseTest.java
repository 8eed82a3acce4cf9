package io.attune.worker.core.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NameLeaseTest {

  private final AtomicLong nanos = new AtomicLong(1_000);
  private final AtomicInteger beats = new AtomicInteger();
  private final NameLease lease = new NameLease(Duration.ofSeconds(1), nanos::get);

  @Test
  void within_two_intervals_of_a_recorded_heartbeat_a_run_starts_without_asking() {
    lease.confirmBy(beats::incrementAndGet);
    nanos.addAndGet(Duration.ofMillis(1_999).toNanos());

    assertThat(lease.held()).isTrue();
    assertThat(beats).hasValue(0);
  }

  @Test
  void after_a_longer_gap_it_beats_first_and_holds_only_if_that_beat_is_recorded() {
    lease.confirmBy(() -> {
      beats.incrementAndGet();
      lease.confirmed();
    });
    nanos.addAndGet(Duration.ofSeconds(30).toNanos()); // the process was paused

    assertThat(lease.held()).isTrue();
    assertThat(beats).hasValue(1);

    lease.confirmBy(beats::incrementAndGet); // the registry refuses the beat: another process has the name
    nanos.addAndGet(Duration.ofSeconds(30).toNanos());

    assertThat(lease.held()).isFalse();
    assertThat(beats).hasValue(2);
  }
}
