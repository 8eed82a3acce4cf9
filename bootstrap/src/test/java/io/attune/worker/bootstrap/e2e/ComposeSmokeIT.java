package io.attune.worker.bootstrap.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.bootstrap.Main;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.testsupport.repository.ComposeFile;
import io.attune.worker.testsupport.services.TestServices;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code docker compose up} would do, without a Docker engine: each worker service of docker-compose.yaml is
 * started as a local {@code java -jar ... run} process with that service's environment (the host names mapped to
 * the test's PostgreSQL and RabbitMQ, the packs mount to ./packs), and must register with exactly the runtimes of
 * its variant, run an action of its runtime, and report healthy through the image's health command.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposeSmokeIT {

  private static final Map<String, String> ACTION_FOR_RUNTIME = Map.of("shell", "demo.hello_shell",
      "python", "demo.hello_python", "node", "demo.hello_node", "native", "demo.native_uname");

  private final ComposeFile compose = ComposeFile.load();
  private TestServices services;
  private PostgresAdapter db;
  private JarProcess scheduler;

  @BeforeAll
  void startTheSchedulerOfTheComposeFile() {
    services = TestServices.require();
    assertThat(cli(serviceEnvironment("migrations", "smoke-migrations"), "migrate").status()).isZero();
    db = PostgresAdapter.connect(PostgresSettings.of(services.databaseUrl(), services.databaseUser(),
        services.databasePassword()));
    scheduler = JarProcess.start("smoke-scheduler", serviceEnvironment("scheduler", "smoke-scheduler"), "scheduler");
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (scheduler != null) {
      scheduler.terminate();
      scheduler.awaitExit(60);
    }
    if (db != null) {
      db.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker-shell", "worker-python", "worker-node", "worker-full"})
  void the_service_registers_its_variants_runtimes_runs_an_action_and_reports_healthy(String service)
      throws Exception {
    Map<String, String> env = serviceEnvironment(service, "smoke-" + service);
    Set<String> promised = canonical(env.get("ATTUNE_WORKER_RUNTIMES"));
    String expectedName = env.get("ATTUNE_WORKER_NAME_PREFIX") + "-" + env.get("HOSTNAME");
    JarProcess worker = JarProcess.start("smoke-" + service, env, "run");
    try {
      await().atMost(Duration.ofSeconds(120)).until(() -> db.directory().byName(expectedName)
          .filter(Worker::isActive).isPresent());
      Worker registered = db.directory().byName(expectedName).orElseThrow();
      assertThat(registered.capabilities().runtimes().stream().map(RuntimeName::value).collect(Collectors.toSet()))
          .as("runtimes of %s", service).isEqualTo(promised);
      assertThat(registered.type().wireName()).isEqualTo("container");

      // the most specific runtime of the variant: python for worker-python, native for worker-full, ...
      String runtime = List.of("native", "node", "python", "shell").stream().filter(promised::contains)
          .findFirst().orElseThrow();
      Run submitted = cli(env, "submit", ACTION_FOR_RUNTIME.get(runtime), "--wait", "--json", "--timeout", "120");
      Map<?, ?> result = new ObjectMapper().readValue(submitted.out(), Map.class);
      assertThat(result.get("status")).as(submitted.out() + submitted.err()).isEqualTo("succeeded");
      assertThat(result.get("worker")).isEqualTo(expectedName);

      Run health = cli(env, "health");
      assertThat(health.status()).as(health.err()).isZero();
      assertThat(health.out()).contains("healthy: worker " + expectedName);
    } finally {
      worker.terminate();
      worker.awaitExit(60);
    }
    Run afterStop = cli(env, "health");
    assertThat(afterStop.status()).as("a stopped worker is unhealthy").isEqualTo(1);
    assertThat(afterStop.err()).contains("inactive");
  }

  /** The service's environment from the compose file, with its defaults, pointed at the test services. */
  private Map<String, String> serviceEnvironment(String service, String hostname) {
    Map<String, String> env = new HashMap<>(compose.service(service).environment());
    env.replaceAll((k, v) -> ComposeFile.withDefaults(v));
    env.put("ATTUNE_DATABASE_URL", services.databaseUrl());
    env.put("ATTUNE_DATABASE_USER", services.databaseUser());
    env.put("ATTUNE_DATABASE_PASSWORD", services.databasePassword());
    env.put("ATTUNE_MQ_URL", services.mqUrl());
    // the test broker's URL carries its credentials; compose's own (attune/attune, given apart) would win over them
    env.remove("ATTUNE_MQ_USER");
    env.remove("ATTUNE_MQ_PASSWORD");
    env.put("ATTUNE_PACKS_DIR", Path.of("../packs").toAbsolutePath().normalize().toString());
    env.remove("ATTUNE_LOG_DIR");
    env.put("ATTUNE_PROBE_TIMEOUT_SECONDS", "30");
    env.put("HOSTNAME", hostname);
    for (String keep : List.of("PATH", "HOME", "LANG")) {
      if (System.getenv(keep) != null) {
        env.put(keep, System.getenv(keep));
      }
    }
    return env;
  }

  private static Set<String> canonical(String runtimes) {
    return Arrays.stream(runtimes.split(",")).map(r -> RuntimeName.of(r).value())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Run cli(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(status, out.toString(), err.toString());
  }

  private record Run(int status, String out, String err) {
  }
}
