package io.attune.worker.adapter.postgres;

import static com.zaxxer.hikari.SQLExceptionOverride.Override.CONTINUE_EVICT;
import static com.zaxxer.hikari.SQLExceptionOverride.Override.MUST_EVICT;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionEvictionTest {

  private final SessionEviction eviction = new SessionEviction();

  @ParameterizedTest
  @ValueSource(strings = {"25006", "25P03", "57P01", "57P02", "57P03", "57P04", "57P05", "08000", "08003", "08006"})
  void a_read_only_ended_or_lost_session_must_be_evicted(String state) {
    assertThat(eviction.adjudicate(new SQLException("failed", state))).isEqualTo(MUST_EVICT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"23505", "40001", "57014", "22P05", "42P01", "25P02"})
  void a_failure_of_the_statement_alone_is_left_to_the_pool(String state) {
    assertThat(eviction.adjudicate(new SQLException("failed", state))).isEqualTo(CONTINUE_EVICT);
  }

  @Test
  void a_failure_without_a_state_is_left_to_the_pool() {
    assertThat(eviction.adjudicate(new SQLException("failed"))).isEqualTo(CONTINUE_EVICT);
  }

  @Test
  void the_pool_evicts_through_it_and_keeps_its_lifetimes_as_set() {
    HikariConfig config = PostgresAdapter.poolConfig(PostgresSettings.of("jdbc:postgresql://db/attune", "a", ""));

    // Hikari adjusts or disables lifetimes that contradict one another, with only a log line: it must not here
    config.validate();

    assertThat(config.getExceptionOverride()).isInstanceOf(SessionEviction.class);
    assertThat(Duration.ofMillis(config.getMaxLifetime())).isEqualTo(PostgresSettings.MAX_LIFETIME)
        .isEqualTo(Duration.ofMinutes(3));
    assertThat(Duration.ofMillis(config.getIdleTimeout())).isEqualTo(PostgresSettings.IDLE_TIMEOUT);
    assertThat(config.getKeepaliveTime()).isPositive().isLessThan(config.getMaxLifetime());
    assertThat(config.getMaximumPoolSize()).isEqualTo(PostgresSettings.DEFAULT_MAX_POOL_SIZE);
    assertThat(config.getMinimumIdle()).isEqualTo(2);
  }

  @Test
  void a_pool_of_fixed_size_keeps_the_short_lifetime_and_the_eviction_too() {
    HikariConfig config = PostgresAdapter.poolConfig(new PostgresSettings("jdbc:postgresql://db/attune", "a", "", 2));

    config.validate();

    assertThat(config.getExceptionOverride()).isInstanceOf(SessionEviction.class);
    assertThat(Duration.ofMillis(config.getMaxLifetime())).isEqualTo(PostgresSettings.MAX_LIFETIME);
    assertThat(config.getMinimumIdle()).isEqualTo(config.getMaximumPoolSize());
  }
}
