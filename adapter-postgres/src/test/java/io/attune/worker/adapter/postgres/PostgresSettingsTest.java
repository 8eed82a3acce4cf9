package io.attune.worker.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.error.ConfigurationException;
import org.junit.jupiter.api.Test;

class PostgresSettingsTest {

  @Test
  void to_string_masks_the_password() {
    PostgresSettings settings = new PostgresSettings("jdbc:postgresql://db:5432/attune", "attune", "s3cret!", 5);

    assertThat(settings.toString()).doesNotContain("s3cret!").contains("password=****", "user=attune",
        "jdbc:postgresql://db:5432/attune", "maxPoolSize=5");
  }

  @Test
  void to_string_masks_a_password_written_into_the_url() {
    PostgresSettings settings = new PostgresSettings("jdbc:postgresql://db/attune?user=a&password=hunter2&ssl=true",
        "a", "", 1);

    assertThat(settings.toString()).doesNotContain("hunter2").contains("password=****&ssl=true");
  }

  @Test
  void a_url_that_is_not_a_postgresql_jdbc_url_is_a_configuration_error_naming_the_variable() {
    assertThatThrownBy(() -> PostgresSettings.of("postgres://user:pw@db:5432/attune", "attune", "pw"))
        .isInstanceOfSatisfying(ConfigurationException.class, e -> {
          assertThat(e.source()).isEqualTo("ATTUNE_DATABASE_URL");
          assertThat(e.expected()).contains("jdbc:postgresql://host:port/database");
        })
        .message().doesNotContain(":pw@");
  }

  @Test
  void a_missing_url_or_user_is_a_configuration_error_naming_its_variable() {
    assertThatThrownBy(() -> PostgresSettings.of(null, "attune", ""))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("ATTUNE_DATABASE_URL");
    assertThatThrownBy(() -> PostgresSettings.of("jdbc:postgresql://db/attune", " ", ""))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("ATTUNE_DATABASE_USER");
  }

  @Test
  void a_pool_of_no_connection_is_refused() {
    assertThatThrownBy(() -> new PostgresSettings("jdbc:postgresql://db/attune", "a", "", 0))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("maxPoolSize=0");
  }

  @Test
  void location_is_host_port_and_database_without_parameters() {
    assertThat(PostgresSettings.of("jdbc:postgresql://db:6543/attune?ssl=true", "a", "").location())
        .isEqualTo("db:6543/attune");
    assertThat(PostgresSettings.of("jdbc:postgresql://db/attune", "a", "").location()).isEqualTo("db:5432/attune");
    assertThat(PostgresSettings.of("jdbc:postgresql://[::1]/attune", "a", "").location())
        .isEqualTo("[::1]:5432/attune");
  }

  @Test
  void a_null_password_counts_as_empty() {
    assertThat(PostgresSettings.of("jdbc:postgresql://db/attune", "a", null).password()).isEmpty();
  }
}
