package io.attune.worker.adapter.rabbitmq.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.error.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RabbitSettingsTest {

  @Test
  void a_full_url_is_decoded_into_its_parts() {
    RabbitSettings settings = new RabbitSettings("amqp://attune:s3cr%40t@mq.example:5673/%2F", "worker-a");

    RabbitSettings.Endpoint endpoint = settings.endpoint();
    assertThat(endpoint.tls()).isFalse();
    assertThat(endpoint.host()).isEqualTo("mq.example");
    assertThat(endpoint.port()).isEqualTo(5673);
    assertThat(endpoint.username()).isEqualTo("attune");
    assertThat(endpoint.password()).isEqualTo("s3cr@t");
    assertThat(endpoint.virtualHost()).isEqualTo("/");
    assertThat(settings.connectionName()).isEqualTo("worker-a");
  }

  @Test
  void missing_parts_take_rabbitmq_defaults() {
    RabbitSettings.Endpoint plain = RabbitSettings.of("amqp://localhost").endpoint();
    RabbitSettings.Endpoint tls = RabbitSettings.of("amqps://broker/prod").endpoint();

    assertThat(plain.port()).isEqualTo(5672);
    assertThat(plain.username()).isEqualTo("guest");
    assertThat(plain.virtualHost()).isEqualTo("/");
    assertThat(tls.tls()).isTrue();
    assertThat(tls.port()).isEqualTo(5671);
    assertThat(tls.virtualHost()).isEqualTo("prod");
  }

  @Test
  void credentials_given_apart_win_over_the_urls_and_are_taken_without_decoding() {
    RabbitSettings settings = RabbitSettings.of("amqp://url-user:url-pass@mq:5672/%2F")
        .withCredentials("attune", "p@ss:w/rd%41");

    RabbitSettings.Endpoint endpoint = settings.endpoint();
    assertThat(endpoint.username()).isEqualTo("attune");
    assertThat(endpoint.password()).isEqualTo("p@ss:w/rd%41");
    assertThat(endpoint.host()).isEqualTo("mq");
    assertThat(settings.toString()).doesNotContain("p@ss:w/rd%41").doesNotContain("url-pass");
  }

  @Test
  void null_credentials_keep_the_urls() {
    RabbitSettings.Endpoint endpoint = RabbitSettings.of("amqp://u:p%40ss@mq/%2F").withCredentials(null, null)
        .endpoint();

    assertThat(endpoint.username()).isEqualTo("u");
    assertThat(endpoint.password()).isEqualTo("p@ss");
  }

  @Test
  void a_blank_connection_name_falls_back_to_the_default() {
    assertThat(new RabbitSettings("amqp://localhost", " ").connectionName())
        .isEqualTo(RabbitSettings.DEFAULT_CONNECTION_NAME);
  }

  @Test
  void to_string_and_masked_url_hide_the_password() {
    RabbitSettings settings = new RabbitSettings("amqp://attune:TopSecret99@mq:5672/%2F", "w");

    assertThat(settings.toString()).doesNotContain("TopSecret99").contains("attune:****@mq:5672");
    assertThat(settings.maskedUrl()).isEqualTo("amqp://attune:****@mq:5672/%2F");
    assertThat(settings.endpoint().toString()).doesNotContain("TopSecret99");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://guest:TopSecret99@mq:5672/", "amqp://guest:TopSecret99@:5672/",
      "amqp://guest:TopSecret99@mq:5672/a/b", "amqp://guest:TopSecret99@mq:99999/", "amqp://guest:TopSecret99@mq x/",
      "mq:5672", ""})
  void an_unusable_url_is_a_configuration_error_naming_the_variable_and_the_form_without_the_password(String url) {
    assertThatThrownBy(() -> RabbitSettings.of(url))
        .isInstanceOfSatisfying(ConfigurationException.class, e -> {
          assertThat(e.source()).isEqualTo("ATTUNE_MQ_URL");
          assertThat(e.expected()).contains("amqp://user:pass@host:port/vhost");
          assertThat(e.getMessage()).doesNotContain("TopSecret99");
        });
  }

  @Test
  void a_null_url_is_a_configuration_error_too() {
    assertThatThrownBy(() -> new RabbitSettings(null, "w")).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ATTUNE_MQ_URL");
  }

  @Test
  void messages_are_capped_at_64_kib_unless_said_otherwise_and_the_cap_survives_the_other_withers() {
    RabbitSettings settings = RabbitSettings.of("amqp://localhost").withMaxMessageBytes(4096)
        .withCredentials("attune", "secret").withWorkerQueueExpiry(Duration.ofMinutes(5));

    assertThat(RabbitSettings.of("amqp://localhost").maxMessageBytes()).isEqualTo(64 * 1024);
    assertThat(settings.maxMessageBytes()).isEqualTo(4096);
    assertThat(settings.withMaxMessageBytes(0).maxMessageBytes()).isEqualTo(RabbitSettings.DEFAULT_MAX_MESSAGE_BYTES);
    assertThat(settings.toString()).contains("maxMessageBytes=4096");
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 1023, 16 * 1024 * 1024 + 1})
  void a_cap_below_an_envelope_or_above_the_clients_own_limit_is_a_configuration_error_naming_the_variable(
      int bytes) {
    assertThatThrownBy(() -> RabbitSettings.of("amqp://localhost").withMaxMessageBytes(bytes))
        .isInstanceOfSatisfying(ConfigurationException.class, e -> {
          assertThat(e.source()).isEqualTo("ATTUNE_MQ_MAX_MESSAGE_BYTES");
          assertThat(e.entry()).contains(Integer.toString(bytes));
          assertThat(e.expected()).contains("from 1024 to 16777216 bytes");
        });
  }

  @Test
  void the_cap_may_reach_the_clients_own_limit_but_not_pass_it() {
    assertThat(RabbitSettings.of("amqp://localhost").withMaxMessageBytes(RabbitSettings.CLIENT_INBOUND_LIMIT_BYTES)
        .maxMessageBytes()).isEqualTo(RabbitSettings.CLIENT_INBOUND_LIMIT_BYTES);
    assertThat(RabbitSettings.MIN_MAX_MESSAGE_BYTES).isLessThan(RabbitSettings.DEFAULT_MAX_MESSAGE_BYTES);
  }
}
