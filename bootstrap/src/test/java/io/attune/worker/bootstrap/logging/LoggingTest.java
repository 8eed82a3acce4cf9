package io.attune.worker.bootstrap.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Logback as {@link Logging} configures it, writing to a buffer instead of standard error. */
class LoggingTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger("io.attune.worker.bootstrap.roles.WorkerRole");

  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  @AfterEach
  void backToTheTestConfiguration() throws Exception {
    MDC.clear();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  @Test
  void json_lines_carry_an_iso_utc_timestamp_level_logger_message_the_log_context_and_the_stack_trace()
      throws Exception {
    Logging.configure(settings(LogFormat.JSON, Optional.empty()), console);

    MDC.put(LogContext.WORKER, "w-1");
    MDC.put(LogContext.EXECUTION_ID, "42");
    LOG.info("execution {} started", 42);
    MDC.remove(LogContext.EXECUTION_ID);
    LOG.error("it broke", new IllegalStateException("boom"));

    List<JsonNode> lines = jsonLines(console.toString(StandardCharsets.UTF_8));
    assertThat(lines).hasSize(2);
    JsonNode started = lines.get(0);
    assertThat(started.get("timestamp").asText()).endsWith("Z");
    assertThat(Instant.parse(started.get("timestamp").asText())).isNotNull();
    assertThat(started.get("level").asText()).isEqualTo("INFO");
    assertThat(started.get("logger").asText()).isEqualTo("io.attune.worker.bootstrap.roles.WorkerRole");
    assertThat(started.get("message").asText()).isEqualTo("execution 42 started");
    assertThat(started.get("worker").asText()).isEqualTo("w-1");
    assertThat(started.get("execution_id").asText()).isEqualTo("42");
    assertThat(started.has("exception")).isFalse();
    assertThat(started.has("@version")).as("no logstash bookkeeping").isFalse();
    assertThat(started.has("level_value")).isFalse();

    JsonNode broke = lines.get(1);
    assertThat(broke.get("level").asText()).isEqualTo("ERROR");
    assertThat(broke.get("worker").asText()).isEqualTo("w-1");
    assertThat(broke.has("execution_id")).as("only where known").isFalse();
    assertThat(broke.get("exception").isTextual()).isTrue();
    assertThat(broke.get("exception").asText()).startsWith("java.lang.IllegalStateException: boom")
        .contains("\tat io.attune.worker.bootstrap.logging.LoggingTest.");
  }

  @Test
  void text_lines_start_with_an_iso_utc_timestamp_and_the_level() {
    Logging.configure(settings(LogFormat.TEXT, Optional.empty()), console);

    LOG.info("worker w-1 registered");

    String line = console.toString(StandardCharsets.UTF_8).strip();
    String[] parts = line.split(" ", 3);
    assertThat(Instant.parse(parts[0])).isNotNull();
    assertThat(parts[0]).endsWith("Z");
    assertThat(parts[1]).isEqualTo("INFO");
    assertThat(parts[2]).isEqualTo(" io.attune.worker.bootstrap.roles.WorkerRole - worker w-1 registered");
  }

  @Test
  void the_level_is_the_settings_and_the_connection_pool_stays_at_warnings() {
    Logging.configure(new LogSettings(LogFormat.TEXT, "warn", Optional.empty(), "x.log", 1 << 20, 3), console);
    LOG.info("not shown");
    LOG.warn("shown");
    Logging.configure(settings(LogFormat.TEXT, Optional.empty()), console);
    LoggerFactory.getLogger("com.zaxxer.hikari.HikariDataSource").info("HikariPool-1 - Starting...");

    assertThat(console.toString(StandardCharsets.UTF_8)).contains("shown").doesNotContain("not shown")
        .doesNotContain("HikariPool-1");
  }

  @Test
  void a_client_command_prints_the_services_connection_logs_only_when_verbose() {
    Logging.configure(settings(LogFormat.TEXT, Optional.empty()), console);
    Logger rabbit = LoggerFactory.getLogger("io.attune.worker.adapter.rabbitmq.RabbitAdapter");
    Logger pool = LoggerFactory.getLogger("com.zaxxer.hikari.pool.HikariPool");
    Logger client = LoggerFactory.getLogger("com.rabbitmq.client.impl.AMQConnection");

    Logging.forClientCommand(false);
    rabbit.info("connected to RabbitMQ at amqp://guest:****@localhost (quiet)");
    pool.info("HikariPool-1 - Start completed (quiet)");
    client.info("client chatter (quiet)");
    rabbit.warn("lost the connection (quiet warning)");
    pool.error("pool failed (quiet error)");
    LOG.info("the command's own line (quiet)");
    Logging.forClientCommand(true);
    rabbit.info("connected to RabbitMQ (verbose)");
    pool.info("HikariPool-1 - Start completed (verbose)");

    String printed = console.toString(StandardCharsets.UTF_8);
    assertThat(printed).doesNotContain("connected to RabbitMQ at amqp://guest:****@localhost (quiet)")
        .doesNotContain("Start completed (quiet)").doesNotContain("client chatter (quiet)")
        .contains("quiet warning").contains("quiet error").contains("the command's own line (quiet)")
        .contains("connected to RabbitMQ (verbose)").contains("HikariPool-1 - Start completed (verbose)");
  }

  @Test
  void the_copy_rolls_over_by_size_and_keeps_a_bounded_number_of_files(@TempDir Path dir) throws Exception {
    LogSettings small = new LogSettings(LogFormat.JSON, "info", Optional.of(dir), "attune-worker-host-1.log",
        LogSettings.MIN_MAX_FILE_SIZE, 3);
    Logging.configure(small, console, Duration.ofMillis(1));
    String filler = "x".repeat(200);
    Path oldest = dir.resolve("attune-worker-host-1.2.log");

    // until the file that held the first line has been dropped (the bound only stops a rollover that never comes)
    int lines = 0;
    while (lines < 100_000 && !(lines % 20 == 0 && Files.exists(oldest)
        && !Files.readString(oldest).contains("\"line 0 "))) {
      LOG.info("line {} {}", lines++, filler);
      Thread.sleep(1); // Logback looks at the size between events, at most every millisecond here
    }

    List<String> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(files).containsExactly("attune-worker-host-1.1.log", "attune-worker-host-1.2.log",
        "attune-worker-host-1.log");
    for (String f : files) {
      assertThat(Files.size(dir.resolve(f))).as(f).isLessThan(4 * small.maxFileSize());
      for (String line : Files.readAllLines(dir.resolve(f))) {
        assertThat(JSON.readTree(line).get("message").asText()).startsWith("line ").doesNotStartWith("line 0 ");
      }
    }
    assertThat(Files.readString(dir.resolve("attune-worker-host-1.log"))).contains("\"line " + (lines - 1) + " ");
  }

  @Test
  void the_copy_is_named_after_the_host_and_gets_the_same_lines(@TempDir Path dir) throws IOException {
    LogSettings settings = LogSettings.from(Map.of("ATTUNE_LOG_DIR", dir.resolve("logs").toString(),
        "HOSTNAME", "worker-python-1"), Optional.empty());
    Logging.configure(settings, console);

    LOG.info("hello file");

    Path file = dir.resolve("logs/attune-worker-worker-python-1.log");
    assertThat(Files.readString(file)).contains("hello file");
    assertThat(console.toString(StandardCharsets.UTF_8)).contains("hello file");
  }

  @Test
  void an_unwritable_directory_leaves_standard_error_only_and_says_so(@TempDir Path dir) throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("a-file"), "");
    Logging.configure(settings(LogFormat.TEXT, Optional.of(notADirectory)), console);

    LOG.info("still logged");

    assertThat(console.toString(StandardCharsets.UTF_8)).contains("ATTUNE_LOG_DIR=" + notADirectory
        + " is not writable").contains("logging to standard error only").contains("still logged");
  }

  private static LogSettings settings(LogFormat format, Optional<Path> dir) {
    return new LogSettings(format, "info", dir, "attune-worker-test.log", LogSettings.DEFAULT_MAX_FILE_SIZE,
        LogSettings.DEFAULT_MAX_FILES);
  }

  private static List<JsonNode> jsonLines(String text) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        nodes.add(JSON.readTree(line));
      }
    }
    return nodes;
  }
}
