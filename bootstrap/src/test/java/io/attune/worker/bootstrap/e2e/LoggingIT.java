package io.attune.worker.bootstrap.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attune.worker.bootstrap.Main;
import io.attune.worker.testsupport.services.TestServices;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The logs of real {@code java -jar} processes on real PostgreSQL and RabbitMQ: JSON lines from a worker and a
 * scheduler, the copy under ATTUNE_LOG_DIR, and client commands that keep the connection logs to themselves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoggingIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WORKER = "log-json-worker";
  private static final String SECRET = "Sekr3t-never-in-a-log";
  private static final Path DIR = Path.of("target/logging-it");

  private TestServices services;
  private final List<Process> processes = new ArrayList<>();
  private long executionId;

  @BeforeAll
  void startAWorkerAndAScheduler() throws Exception {
    services = TestServices.require();
    Files.createDirectories(DIR);
    StringWriter err = new StringWriter();
    assertThat(Main.run(new String[] {"migrate"}, env(Map.of()), new PrintWriter(new StringWriter()),
        new PrintWriter(err, true))).as(err.toString()).isZero();
    processes.add(start("scheduler", env(Map.of("ATTUNE_LOG_FORMAT", "json")), "scheduler"));
    processes.add(start("worker", env(Map.of("ATTUNE_LOG_FORMAT", "json", "ATTUNE_WORKER_NAME", WORKER,
        "ATTUNE_WORKER_RUNTIMES", "shell", "ATTUNE_LOG_DIR", DIR.resolve("copy").toAbsolutePath().toString(),
        "HOSTNAME", "log-host")), "run"));
    await().atMost(Duration.ofSeconds(120)).until(() -> read("worker.err").contains("registered with"));
  }

  @AfterAll
  void stop() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  @Order(1)
  void a_client_command_prints_no_connection_logs_unless_verbose_and_never_a_password() throws Exception {
    Map<String, String> withSecret = env(Map.of("ATTUNE_DATABASE_PASSWORD", SECRET));

    Result quiet = runToEnd("workers-quiet", withSecret, "workers");
    assertThat(quiet.status()).as(quiet.err()).isZero();
    assertThat(quiet.out()).contains(WORKER);
    assertThat(quiet.err()).as("no INFO line without --verbose").doesNotContain(" INFO ");

    Map<String, String> debug = new HashMap<>(withSecret);
    debug.put("ATTUNE_LOG_LEVEL", "debug");
    Result verbose = runToEnd("workers-verbose", debug, "workers", "--verbose");
    assertThat(verbose.status()).as(verbose.err()).isZero();
    assertThat(verbose.err()).contains(" INFO  com.zaxxer.hikari").contains("Start completed")
        .doesNotContain(SECRET);

    Result submit = runToEnd("submit-verbose", debug, "submit", "e2e.sleep_shell", "--param", "seconds=0.1",
        "--wait", "--json", "--verbose");
    assertThat(submit.status()).as(submit.err()).isZero();
    assertThat(submit.err()).contains("connected to RabbitMQ at amqp://guest:****@").doesNotContain("guest:guest")
        .doesNotContain(SECRET);
    JsonNode ended = JSON.readTree(submit.out());
    assertThat(ended.get("status").asText()).isEqualTo("succeeded");
    assertThat(ended.get("worker").asText()).isEqualTo(WORKER);
    executionId = ended.get("execution_id").asLong();

    Result quietSubmit = runToEnd("submit-quiet", env(Map.of()), "submit", "e2e.sleep_shell", "--param",
        "seconds=0.1", "--wait");
    assertThat(quietSubmit.status()).as(quietSubmit.err()).isZero();
    assertThat(quietSubmit.err()).doesNotContain(" INFO ").doesNotContain("connected to RabbitMQ");
  }

  @Test
  @Order(2)
  void every_line_of_the_worker_and_the_scheduler_is_a_json_object_naming_the_worker_and_the_execution()
      throws Exception {
    String id = Long.toString(executionId);
    assertThat(executionId).as("the first test ran an execution").isPositive();
    await().atMost(Duration.ofSeconds(60)).until(() -> read("worker.err").contains("\"execution_id\":\"" + id + "\""));
    for (Process p : processes) {
      p.destroy(); // SIGTERM: the worker drains and says so
    }
    for (Process p : processes) {
      assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    }

    List<JsonNode> worker = jsonLines(read("worker.err"));
    List<JsonNode> scheduler = jsonLines(read("scheduler.err"));
    assertThat(read("worker.out")).isEmpty();
    for (JsonNode line : concat(worker, scheduler)) {
      assertThat(line.get("timestamp").asText()).endsWith("Z");
      assertThat(Instant.parse(line.get("timestamp").asText())).isNotNull();
      assertThat(line.get("level").asText()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
      assertThat(line.get("logger").asText()).isNotBlank();
      assertThat(line.has("message")).isTrue();
    }
    assertThat(worker).anySatisfy(line -> {
      assertThat(line.get("message").asText()).contains("registered with");
      assertThat(line.get("worker").asText()).isEqualTo(WORKER);
    });
    assertThat(worker).as("the line of the execution's end names both").anySatisfy(line -> {
      assertThat(line.path("execution_id").asText()).isEqualTo(id);
      assertThat(line.path("worker").asText()).isEqualTo(WORKER);
      assertThat(line.get("message").asText()).contains("succeeded");
    });
    assertThat(worker).as("the drain").anySatisfy(line -> {
      assertThat(line.get("message").asText()).contains("marked inactive");
      assertThat(line.get("worker").asText()).isEqualTo(WORKER);
    });
    assertThat(scheduler).as("the scheduler's placement").anySatisfy(line ->
        assertThat(line.path("execution_id").asText()).isEqualTo(id));

    Path copy = DIR.resolve("copy/attune-worker-log-host.log");
    List<JsonNode> copied = jsonLines(Files.readString(copy));
    assertThat(copied).anySatisfy(line -> assertThat(line.path("execution_id").asText()).isEqualTo(id));
  }

  @Test
  @Order(3)
  void a_bad_log_format_exits_2_naming_the_variable_and_the_values() throws Exception {
    Result bad = runToEnd("bad-format", env(Map.of("ATTUNE_LOG_FORMAT", "xml")), "workers");

    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).contains("ATTUNE_LOG_FORMAT='xml'").contains("expected text or json");
  }

  private Map<String, String> env(Map<String, String> extra) {
    return JarProcess.baseEnvironment(services, extra);
  }

  private static Process start(String name, Map<String, String> environment, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
        JarProcess.JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(DIR.resolve(name + ".out").toFile())
        .redirectError(DIR.resolve(name + ".err").toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);
    return builder.start();
  }

  private static Result runToEnd(String name, Map<String, String> environment, String... args) throws Exception {
    Process process = start(name, environment, args);
    process.getOutputStream().close();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(name).isTrue();
    return new Result(process.exitValue(), read(name + ".out"), read(name + ".err"));
  }

  private static String read(String file) throws IOException {
    Path path = DIR.resolve(file);
    return Files.exists(path) ? Files.readString(path) : "";
  }

  private static List<JsonNode> jsonLines(String text) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        JsonNode node = JSON.readTree(line);
        assertThat(node.isObject()).as(line).isTrue();
        lines.add(node);
      }
    }
    assertThat(lines).isNotEmpty();
    return lines;
  }

  private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
    List<JsonNode> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private record Result(int status, String out, String err) {
  }
}
