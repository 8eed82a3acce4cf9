package io.attune.worker.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DatabaseClockTest {

  private final MutableClock local = MutableClock.atDefault();

  @Test
  void a_process_a_minute_behind_the_database_tells_the_databases_time() {
    // issue 10, scenario 7: a minute of skew made healthy workers flap; with one time base it cannot
    Duration skew = Duration.ofMinutes(1);
    DatabaseClock clock = new DatabaseClock(local, () -> local.instant().plus(skew), Duration.ofSeconds(60));

    assertThat(clock.instant()).isEqualTo(local.instant().plus(skew));
    assertThat(clock.offset()).isEqualTo(skew);
    local.advance(Duration.ofSeconds(5));
    assertThat(clock.instant()).isEqualTo(local.instant().plus(skew));
  }

  @Test
  void the_offset_is_measured_again_only_after_the_resync_interval() {
    AtomicInteger asked = new AtomicInteger();
    DatabaseClock clock = new DatabaseClock(local, () -> {
      asked.incrementAndGet();
      return local.instant().plusSeconds(asked.get());
    }, Duration.ofSeconds(60));

    clock.instant();
    local.advance(Duration.ofSeconds(59));
    clock.instant();
    assertThat(asked).hasValue(1);
    assertThat(clock.offset()).hasSeconds(1);

    local.advance(Duration.ofSeconds(1));
    clock.instant();
    assertThat(asked).hasValue(2);
    assertThat(clock.offset()).hasSeconds(2);
  }

  @Test
  void an_unreachable_database_keeps_the_last_offset_and_the_clock_going() {
    AtomicInteger calls = new AtomicInteger();
    DatabaseClock clock = new DatabaseClock(local, () -> {
      if (calls.incrementAndGet() > 1) {
        throw new IllegalStateException("connection refused");
      }
      return local.instant().plusSeconds(30);
    }, Duration.ofSeconds(60));
    clock.instant();
    local.advance(Duration.ofMinutes(5));

    Instant later = clock.instant();

    assertThat(later).isEqualTo(local.instant().plusSeconds(30));
    assertThat(calls).hasValue(2);
  }
}
