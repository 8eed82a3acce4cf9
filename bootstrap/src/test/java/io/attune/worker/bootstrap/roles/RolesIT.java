package io.attune.worker.bootstrap.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.attune.worker.adapter.local.packs.PacksDirectoryCatalog;
import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.config.ConfigLoader;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.action.ParameterCap;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.port.in.SubmitExecutionUseCase.Submission;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.service.SubmitExecutionService;
import io.attune.worker.testsupport.services.TestServices;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The roles built by their factories against the real PostgreSQL and RabbitMQ, in this JVM. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolesIT {

  private static final Path PACKS = Path.of("src/test/resources/e2e-packs").toAbsolutePath();
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final Clock clock = Clock.systemUTC();
  private TestServices services;
  private PostgresAdapter db;

  @BeforeAll
  void migrate() {
    services = TestServices.require();
    db = PostgresAdapter.connect(PostgresSettings.of(services.databaseUrl(), services.databaseUser(),
        services.databasePassword()));
    db.migrate();
  }

  @AfterAll
  void disconnect() {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void a_started_worker_is_registered_and_consuming_and_drain_then_close_release_everything() throws Exception {
    String name = "roles-it-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = environment(Map.of(ConfigLoader.WORKER_NAME, name, "ATTUNE_WORKER_RUNTIMES", "shell"));

    WorkerRole role = WorkerRole.start(config(env), env, clock);
    Worker worker = role.worker();
    String queue = RabbitTopology.workerQueue(worker.id());

    assertThat(worker.name()).isEqualTo(name);
    assertThat(db.directory().byName(name).orElseThrow().status()).isEqualTo(WorkerStatus.ACTIVE);
    assertThat(consumersOf(queue)).as("its dispatch consumer").isEqualTo(1);
    assertThat(threadsNamed("heartbeat")).isPositive();

    role.drain(Duration.ofSeconds(1));
    role.close();

    assertThat(db.directory().byName(name).orElseThrow().status()).isEqualTo(WorkerStatus.INACTIVE);
    assertThat(consumersOf(queue)).isZero();
    await().atMost(PATIENCE).until(() -> threadsNamed("heartbeat") == 0 && threadsNamed("attune-mq-" + queue) == 0);
  }

  @Test
  void a_scheduler_and_a_worker_built_by_their_factories_run_a_submitted_execution() {
    String name = "roles-it-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = environment(Map.of(ConfigLoader.WORKER_NAME, name, "ATTUNE_WORKER_RUNTIMES", "shell"));
    try (SchedulerRole scheduler = SchedulerRole.start(config(environment(Map.of())), clock);
         WorkerRole worker = WorkerRole.start(config(env), env, clock);
         RabbitAdapter client = RabbitAdapter.connect(RabbitSettings.of(services.mqUrl()), clock)) {
      Submission submission = new SubmitExecutionService(PacksDirectoryCatalog.load(PACKS), db.executions(),
          db.clock(), ParameterCap.NONE, ExecutionEvents.NONE).submit("e2e.sleep_shell", Map.of("seconds", 0));
      Execution requested = ((Submission.Accepted) submission).execution();

      client.requests().publish(requested.id());

      await().atMost(PATIENCE).until(() -> db.executions().find(requested.id()).orElseThrow().status().isTerminal());
      assertThat(db.executions().find(requested.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      worker.drain(Duration.ofSeconds(1));
    }
  }

  @Test
  void a_scheduler_without_a_broker_url_is_a_configuration_error_naming_the_variable() {
    Map<String, String> env = new HashMap<>(environment(Map.of()));
    env.remove(ConfigLoader.MQ_URL);

    assertThatThrownBy(() -> SchedulerRole.start(config(env), clock))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(ConfigLoader.MQ_URL);
  }

  @Test
  void a_worker_without_a_database_url_is_a_configuration_error_naming_the_variable() {
    Map<String, String> env = new HashMap<>(environment(Map.of("ATTUNE_WORKER_RUNTIMES", "shell")));
    env.remove(ConfigLoader.DATABASE_URL);

    assertThatThrownBy(() -> WorkerRole.start(config(env), env, clock))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(ConfigLoader.DATABASE_URL);
  }

  private Map<String, String> environment(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    for (String keep : List.of("PATH", "HOME", "LANG")) {
      Optional.ofNullable(System.getenv(keep)).ifPresent(v -> env.put(keep, v));
    }
    env.put(ConfigLoader.DATABASE_URL, services.databaseUrl());
    env.put(ConfigLoader.DATABASE_USER, services.databaseUser());
    env.put(ConfigLoader.DATABASE_PASSWORD, services.databasePassword());
    env.put(ConfigLoader.MQ_URL, services.mqUrl());
    env.put(ConfigLoader.PACKS_DIR, PACKS.toString());
    env.put("ATTUNE_HEARTBEAT_INTERVAL_SECONDS", "1");
    env.putAll(extra);
    return env;
  }

  private static AttuneConfig config(Map<String, String> environment) {
    return new ConfigLoader(environment).load(Optional.empty());
  }

  private int consumersOf(String queue) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(services.mqUrl());
    try (Connection connection = factory.newConnection("roles-it"); Channel channel = connection.createChannel()) {
      return channel.queueDeclarePassive(queue).getConsumerCount();
    }
  }

  private static long threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .count();
  }
}
