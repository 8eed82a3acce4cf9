package io.attune.worker.core.model.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doubles_from_the_first_wait_up_to_the_longest_and_stays_there() {
    Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2));

    assertThat(IntStream.rangeClosed(1, 6).mapToObj(backoff::after)).containsExactly(Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2),
        Duration.ofSeconds(2));
    assertThat(backoff.after(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void a_longest_wait_between_two_doublings_is_kept_as_the_cap() {
    assertThat(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(15)).after(8)).isEqualTo(Duration.ofSeconds(15));
    assertThat(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(15)).after(7))
        .isEqualTo(Duration.ofMillis(12_800));
  }

  @Test
  void refuses_a_wait_that_is_not_positive_or_a_cap_below_the_first_wait_or_no_failure() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Backoff.OUTCOMES.after(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
