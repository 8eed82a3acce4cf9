package io.attune.worker.core.model.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReservationsTest {

  @Test
  void counts_add_up_and_are_given_back_never_below_zero() {
    Reservations held = Reservations.of(Map.of("slots", 2, "gpus", 1));

    Reservations more = held.plus(Reservations.of(Map.of("slots", 1, "pack:ml", 1)));
    assertThat(more.asMap()).isEqualTo(Map.of("slots", 3, "gpus", 1, "pack:ml", 1));
    assertThat(more.minus(Reservations.of(Map.of("slots", 1, "pack:ml", 1)))).isEqualTo(held);
    assertThat(held.minus(Reservations.of(Map.of("gpus", 5))).asMap()).as("zeros are dropped")
        .isEqualTo(Map.of("slots", 2));
  }

  @Test
  void a_counter_of_a_kind_counted_per_key_is_found_by_kind_and_key() {
    Reservations held = Reservations.of(Map.of("pack:ml", 2, "pack:mlx", 5, "packs:ml", 7, "pack", 9));

    assertThat(held.of("pack", "ml")).isEqualTo(2);
    assertThat(held.of("pack", "core")).isZero();
    assertThat(held.of("pack", null)).isEqualTo(9);
    assertThat(held.of(Reservations.counter("pack", "mlx"))).isEqualTo(5);
  }

  @Test
  void a_negative_count_is_refused_with_its_counter() {
    assertThatThrownBy(() -> Reservations.of(Map.of("gpus", -1))).hasMessageContaining("gpus")
        .hasMessageContaining("-1");
    assertThat(Reservations.slots(0)).isEqualTo(Reservations.NONE);
  }
}
