package io.attune.worker.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.config.ConfigLoader;
import io.attune.worker.bootstrap.config.HttpPort;
import io.attune.worker.core.error.ConfigurationException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ATTUNE_HTTP_PORT: unset means no server, a port number is taken, anything else is refused naming the variable. */
class HttpPortOptionTest {

  private static AttuneConfig config(Map<String, String> environment) {
    return new ConfigLoader(environment).load(Optional.empty());
  }

  @Test
  void unset_or_empty_means_no_http_server() {
    assertThat(HttpPort.of(config(Map.of()))).isEmpty();
    assertThat(HttpPort.of(config(Map.of("ATTUNE_HTTP_PORT", "")))).isEmpty();
  }

  @Test
  void a_port_number_is_taken_and_zero_means_any_free_port() {
    assertThat(HttpPort.of(config(Map.of("ATTUNE_HTTP_PORT", "9464")))).contains(9464);
    assertThat(HttpPort.of(config(Map.of("ATTUNE_HTTP_PORT", " 8080 ")))).contains(8080);
    assertThat(HttpPort.of(config(Map.of("ATTUNE_HTTP_PORT", "0")))).contains(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "-1", "65536", "94 64", "9464.0"})
  void anything_else_is_refused_naming_the_variable_and_what_was_expected(String value) {
    assertThatThrownBy(() -> HttpPort.of(config(Map.of("ATTUNE_HTTP_PORT", value))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ATTUNE_HTTP_PORT='" + value + "'")
        .hasMessageContaining("expected a port number from 1 to 65535");
  }

  @Test
  void the_scheduler_with_an_invalid_port_exits_2_before_connecting_to_anything() {
    CliRun run = CliRun.of(Map.of("ATTUNE_HTTP_PORT", "metrics", "ATTUNE_DATABASE_URL",
        "jdbc:postgresql://127.0.0.1:1/none", "ATTUNE_MQ_URL", "amqp://u:p@127.0.0.1:1/%2F"), "scheduler");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("ATTUNE_HTTP_PORT='metrics'").contains("expected a port number");
  }

  @Test
  void the_worker_with_an_invalid_port_exits_2_before_probing_or_connecting() {
    CliRun run = CliRun.of(Map.of("ATTUNE_HTTP_PORT", "70000", "ATTUNE_WORKER_RUNTIMES", "shell",
        "ATTUNE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/none", "ATTUNE_MQ_URL", "amqp://u:p@127.0.0.1:1/%2F"),
        "run");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("ATTUNE_HTTP_PORT='70000'");
  }
}
