package io.attune.worker.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import io.attune.worker.testsupport.repository.ComposeFile.Mount;
import io.attune.worker.testsupport.repository.ComposeFile;
import io.attune.worker.testsupport.repository.RepositoryFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every broker this project configures refuses messages above one {@code max_message_size} (issue 22): compose's,
 * the one the Kubernetes base hands the operator, and the tests' own. That limit lies above what the consumers accept
 * by default, so a message they refuse can still be dead-lettered with its reason, and below the client library's
 * own limit, above which a delivery closes the whole connection.
 */
class BrokerMessageSizeContractTest {

  private static final Path ROOT = RepositoryFiles.root();
  private static final Pattern MAX_MESSAGE_SIZE = Pattern.compile("(?m)^\\s*max_message_size\\s*=\\s*(\\d+)\\s*$");
  private static final String COMPOSE_CONF = "docker/rabbitmq/20-attune.conf";

  @Test
  void every_broker_we_configure_has_the_same_max_message_size_between_the_consumers_cap_and_the_clients_limit() {
    Map<String, List<Long>> limits = new TreeMap<>();
    limits.put(COMPOSE_CONF, limits(RepositoryFiles.read(ROOT.resolve(COMPOSE_CONF))));
    limits.put("scripts/test-services.sh", limits(RepositoryFiles.read(ROOT.resolve("scripts/test-services.sh"))));
    limits.put("deploy/kubernetes ConfigMap attune-rabbitmq-config", limits(KubernetesManifests.load()
        .find("ConfigMap", "attune-rabbitmq-config").orElseThrow().node().path("data").path("20-attune.conf")
        .asText("")));

    assertThat(limits).allSatisfy((where, found) -> assertThat(found).as(where).hasSize(1));
    long limit = limits.get(COMPOSE_CONF).get(0);
    assertThat(limits.values()).as("one limit everywhere").allSatisfy(found -> assertThat(found)
        .containsExactly(limit));
    assertThat(limit).as("above the consumers' default cap, so they can dead-letter what they refuse")
        .isGreaterThan(RabbitSettings.DEFAULT_MAX_MESSAGE_BYTES)
        .as("below the client's own limit, so no delivery closes a connection")
        .isLessThan(RabbitSettings.CLIENT_INBOUND_LIMIT_BYTES);
  }

  @Test
  void the_compose_broker_reads_the_file_that_sets_it() {
    List<Mount> mounts = ComposeFile.load().service("rabbitmq").mounts();

    assertThat(mounts).anySatisfy(mount -> {
      assertThat(mount.source()).isEqualTo("./" + COMPOSE_CONF);
      assertThat(mount.target()).startsWith("/etc/rabbitmq/conf.d/").endsWith(".conf");
      assertThat(mount.readOnly()).isTrue();
    });
  }

  private static List<Long> limits(String text) {
    Matcher matcher = MAX_MESSAGE_SIZE.matcher(text);
    List<Long> found = new ArrayList<>();
    while (matcher.find()) {
      found.add(Long.parseLong(matcher.group(1)));
    }
    return found;
  }
}
