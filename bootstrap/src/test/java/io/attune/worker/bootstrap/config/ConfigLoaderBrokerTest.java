package io.attune.worker.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderBrokerTest {

  @TempDir
  Path dir;

  @Test
  void user_and_password_apart_from_the_url_come_from_the_environment_as_written() {
    AttuneConfig config = new ConfigLoader(Map.of("ATTUNE_MQ_URL", "amqp://rabbitmq:5672/%2F",
        "ATTUNE_MQ_USER", "attune", "ATTUNE_MQ_PASSWORD", "p@ss:w/rd%41")).load(Optional.empty());

    BrokerConfig broker = config.broker().orElseThrow();
    assertThat(broker.url()).isEqualTo("amqp://rabbitmq:5672/%2F");
    assertThat(broker.user()).contains("attune");
    assertThat(broker.password()).contains("p@ss:w/rd%41");
    assertThat(config.toString()).doesNotContain("p@ss:w/rd%41");
  }

  @Test
  void the_environment_wins_over_the_files_mq_section() throws Exception {
    Path file = dir.resolve("attune.yaml");
    Files.writeString(file, "mq: {url: 'amqp://file-host/%2F', user: file-user, password: file-pass}\n");

    BrokerConfig fromFile = new ConfigLoader(Map.of()).load(Optional.of(file)).broker().orElseThrow();
    BrokerConfig overridden = new ConfigLoader(Map.of("ATTUNE_MQ_PASSWORD", "env-pass")).load(Optional.of(file))
        .broker().orElseThrow();

    assertThat(fromFile.user()).contains("file-user");
    assertThat(fromFile.password()).contains("file-pass");
    assertThat(overridden.password()).contains("env-pass");
    assertThat(overridden.user()).contains("file-user");
  }

  @Test
  void without_a_url_there_is_no_broker_and_credentials_alone_do_not_make_one() {
    assertThat(new ConfigLoader(Map.of("ATTUNE_MQ_USER", "attune")).load(Optional.empty()).broker()).isEmpty();
  }
}
