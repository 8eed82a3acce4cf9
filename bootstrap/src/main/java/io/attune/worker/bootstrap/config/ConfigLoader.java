package io.attune.worker.bootstrap.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.capability.CapabilityDeclaration;
import io.attune.worker.core.model.capability.CapabilityTree;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.tree.TreeReader;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.service.FleetView;
import io.attune.worker.core.service.ReconcileExecutionsService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads {@link AttuneConfig}: the YAML or JSON file (named by {@code --config} or {@code ATTUNE_CONFIG}), then the
 * environment on top. Every error names the file or variable, the key and what was expected.
 */
public final class ConfigLoader {

  public static final String CONFIG = "ATTUNE_CONFIG";
  public static final String WORKER_NAME = "ATTUNE_WORKER_NAME";
  public static final String WORKER_NAME_PREFIX = "ATTUNE_WORKER_NAME_PREFIX";
  public static final String WORKER_TYPE = "ATTUNE_WORKER_TYPE";
  public static final String DATABASE_URL = "ATTUNE_DATABASE_URL";
  public static final String DATABASE_USER = "ATTUNE_DATABASE_USER";
  public static final String DATABASE_PASSWORD = "ATTUNE_DATABASE_PASSWORD";
  public static final String MQ_URL = "ATTUNE_MQ_URL";
  public static final String MQ_USER = "ATTUNE_MQ_USER";
  public static final String MQ_PASSWORD = "ATTUNE_MQ_PASSWORD";
  public static final String MQ_MAX_MESSAGE_BYTES = "ATTUNE_MQ_MAX_MESSAGE_BYTES";
  public static final String PACKS_DIR = "ATTUNE_PACKS_DIR";
  public static final String HEARTBEAT_INTERVAL = "ATTUNE_HEARTBEAT_INTERVAL_SECONDS";
  public static final String SHUTDOWN_GRACE = "ATTUNE_SHUTDOWN_GRACE_SECONDS";
  public static final String PROBE_TIMEOUT = "ATTUNE_PROBE_TIMEOUT_SECONDS";
  public static final String SCHEDULING_TIMEOUT = "ATTUNE_SCHEDULING_TIMEOUT_SECONDS";
  public static final String DISPATCH_TIMEOUT = "ATTUNE_DISPATCH_TIMEOUT_SECONDS";
  public static final String HEALTH_FILE = "ATTUNE_HEALTH_FILE";
  public static final String MAX_PARAMETERS_BYTES = "ATTUNE_MAX_PARAMETERS_BYTES";
  public static final String CONNECT_WAIT = "ATTUNE_CONNECT_WAIT_SECONDS";
  public static final String FLEET_VIEW_MAX_STALENESS = "ATTUNE_FLEET_VIEW_MAX_STALENESS_MS";
  public static final String SWEEP_CONCURRENCY = "ATTUNE_SWEEP_CONCURRENCY";
  public static final String REPROBE = "ATTUNE_REPROBE_SECONDS";
  public static final String WORKER_NAME_WAIT = "ATTUNE_WORKER_NAME_WAIT_SECONDS";
  public static final String MAX_REDELIVERIES = "ATTUNE_MAX_REDELIVERIES";
  /** Five minutes: a runtime installed or removed is noticed soon, at the cost of a probe now and then. */
  public static final int DEFAULT_REPROBE_SECONDS = 300;
  /** The scheduler's copy of the fleet may be this old when it decides; it is read again by then. */
  public static final Duration DEFAULT_FLEET_VIEW_MAX_STALENESS = FleetView.DEFAULT_MAX_STALENESS;
  /** Longest allowed staleness: a minute, the view's full reload; longer would only hide a fleet's changes. */
  static final int MAX_FLEET_VIEW_STALENESS_MS = 60_000;
  /** Most placements one sweep runs at once: each holds a database connection while it waits. */
  static final int MAX_SWEEP_CONCURRENCY = 64;
  /** 1 MiB: far more than parameters need, small enough to keep rows, messages and memory in bounds. */
  public static final long DEFAULT_MAX_PARAMETERS_BYTES = 1024L * 1024;

  private static final Set<String> TOP_KEYS = Set.of("worker", "database", "mq", "packs_dir", "scheduler");
  private static final Set<String> WORKER_KEYS = Set.of("name", "type", "heartbeat_interval_seconds",
      "shutdown_grace_seconds", "probe_timeout_seconds", "output_cap_bytes", "capabilities", "interpreters",
      "health_file", "connect_wait_seconds", "packs", "reprobe_seconds", "name_wait_seconds");
  private static final Set<String> DATABASE_KEYS = Set.of("url", "user", "password");
  private static final Set<String> MQ_KEYS = Set.of("url", "user", "password", "max_message_bytes");
  private static final Set<String> SCHEDULER_KEYS = Set.of("scheduling_timeout_seconds", "dispatch_timeout_seconds",
      "max_attempts", "max_redeliveries", "max_parameters_bytes", "fleet_view_max_staleness_ms", "sweep_concurrency");

  private final Map<String, String> environment;

  public ConfigLoader(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** Loads the file named by the option, else by {@code ATTUNE_CONFIG}, else only the environment. */
  public AttuneConfig load(Optional<Path> configOption) {
    Optional<Path> file = configOption.or(() -> env(CONFIG).map(Path::of));
    TreeReader root = file.map(ConfigLoader::read).orElseGet(() -> TreeReader.of(Map.of(), "environment", ""));
    root.onlyKeys(TOP_KEYS);
    String source = root.source();
    TreeReader worker = root.object("worker").orElseGet(() -> TreeReader.of(Map.of(), source, "worker"));
    worker.onlyKeys(WORKER_KEYS);

    String name = workerName(worker);
    WorkerType type = workerType(worker);
    Duration heartbeat = seconds(worker, "heartbeat_interval_seconds", HEARTBEAT_INTERVAL, 30);
    Duration grace = seconds(worker, "shutdown_grace_seconds", SHUTDOWN_GRACE, 30);
    Duration probeTimeout = seconds(worker, "probe_timeout_seconds", PROBE_TIMEOUT, 2);
    long outputCap = worker.integer("output_cap_bytes", 1024, Integer.MAX_VALUE).map(Integer::longValue)
        .orElse(1024L * 1024);
    Optional<CapabilityDeclaration> capabilities = worker.object("capabilities").map(CapabilityTree::declarationFromTree);
    // worker.packs sits beside the capabilities but is resolved with them: ATTUNE_WORKER_PACKS wins over it
    List<String> packsServed = CapabilityTree.packs(worker, "packs");
    if (!packsServed.isEmpty()) {
      capabilities = Optional.of(capabilities.orElseGet(() -> CapabilityDeclaration.empty(source))
          .withPacks(packsServed));
    }
    Map<RuntimeName, Path> interpreters = interpreters(worker);

    Path packs = env(PACKS_DIR).or(() -> root.string("packs_dir")).map(Path::of).orElse(Path.of("packs"));
    Optional<DatabaseConfig> database = database(root);
    TreeReader mq = root.object("mq").orElseGet(() -> TreeReader.of(Map.of(), source, "mq")).onlyKeys(MQ_KEYS);
    int maxMessageBytes = envNumber(MQ_MAX_MESSAGE_BYTES, 0, Integer.MAX_VALUE, "expected a number of bytes")
        .map(Long::intValue).orElseGet(() -> mq.integer("max_message_bytes", 0, Integer.MAX_VALUE).orElse(0));
    Optional<BrokerConfig> broker = env(MQ_URL).or(() -> mq.string("url")).map(url -> new BrokerConfig(url,
        env(MQ_USER).or(() -> mq.string("user")), env(MQ_PASSWORD).or(() -> mq.string("password")),
        maxMessageBytes));
    TreeReader scheduler = root.object("scheduler").orElseGet(() -> TreeReader.of(Map.of(), source, "scheduler"))
        .onlyKeys(SCHEDULER_KEYS);
    Duration schedulingTimeout = seconds(scheduler, "scheduling_timeout_seconds", SCHEDULING_TIMEOUT, 300);
    Duration dispatchTimeout = seconds(scheduler, "dispatch_timeout_seconds", DISPATCH_TIMEOUT, 60);
    int maxAttempts = scheduler.integer("max_attempts", 1, 100).orElse(AttemptLimits.DEFAULT_MAX_RUNS);
    int maxRedeliveries = envNumber(MAX_REDELIVERIES, 0, 100, "expected a number of redeliveries from 0 to 100")
        .map(Long::intValue).orElseGet(() -> scheduler.integer("max_redeliveries", 0, 100)
            .orElse(AttemptLimits.DEFAULT_MAX_REDELIVERIES));
    long maxParametersBytes = maxParametersBytes(scheduler);
    Duration fleetViewMaxStaleness = Duration.ofMillis(envNumber(FLEET_VIEW_MAX_STALENESS, 0,
        MAX_FLEET_VIEW_STALENESS_MS, "expected a number of milliseconds from 0 to " + MAX_FLEET_VIEW_STALENESS_MS)
        .orElseGet(() -> (long) scheduler.integer("fleet_view_max_staleness_ms", 0, MAX_FLEET_VIEW_STALENESS_MS)
            .orElse((int) DEFAULT_FLEET_VIEW_MAX_STALENESS.toMillis())));
    int sweepConcurrency = envNumber(SWEEP_CONCURRENCY, 1, MAX_SWEEP_CONCURRENCY,
        "expected a number of placements from 1 to " + MAX_SWEEP_CONCURRENCY).map(Long::intValue)
        .orElseGet(() -> scheduler.integer("sweep_concurrency", 1, MAX_SWEEP_CONCURRENCY)
            .orElse(ReconcileExecutionsService.Settings.DEFAULT_PLACEMENT_CONCURRENCY));
    Duration connectWait = seconds(worker, "connect_wait_seconds", CONNECT_WAIT, 60);
    Optional<Path> healthFile = env(HEALTH_FILE).or(() -> worker.string("health_file")).map(Path::of);
    Duration reprobe = reprobeInterval(worker);
    Duration nameWait = Duration.ofSeconds(envNumber(WORKER_NAME_WAIT, 0, 86_400,
        "expected a number of seconds from 0 (refuse at once) to 86400")
        .orElseGet(() -> (long) worker.integer("name_wait_seconds", 0, 86_400).orElse(0)));

    return new AttuneConfig(file, environment, name, type, heartbeat, grace, probeTimeout, outputCap, capabilities,
        interpreters, packs, database, broker, schedulingTimeout, dispatchTimeout,
        new AttemptLimits(maxAttempts, maxRedeliveries), maxParametersBytes, connectWait, healthFile,
        fleetViewMaxStaleness, sweepConcurrency, reprobe, nameWait);
  }

  /** {@code ATTUNE_REPROBE_SECONDS}, else {@code worker.reprobe_seconds}: 0 (never) to a day. */
  private Duration reprobeInterval(TreeReader worker) {
    return Duration.ofSeconds(envNumber(REPROBE, 0, 86_400,
        "expected a number of seconds from 0 (never re-probe) to 86400")
        .orElseGet(() -> (long) worker.integer("reprobe_seconds", 0, 86_400).orElse(DEFAULT_REPROBE_SECONDS)));
  }

  /**
   * The worker's name from ATTUNE_WORKER_NAME, else the file's {@code worker.name}, else the default; surrounding
   * whitespace is trimmed (a value pasted with a trailing space or newline), and a name with whitespace or a control
   * character inside, or otherwise not a valid name, is an error naming where it came from.
   */
  private String workerName(TreeReader worker) {
    Optional<String> fromEnv = env(WORKER_NAME);
    Optional<String> given = fromEnv.or(() -> worker.string("name"));
    if (given.isEmpty()) {
      return defaultWorkerName();
    }
    String source = fromEnv.isPresent() ? "environment" : worker.source();
    String entry = (fromEnv.isPresent() ? WORKER_NAME : "worker.name") + "='" + printable(given.get()) + "'";
    String name = given.get().strip();
    if (name.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
        || Character.isISOControl(c))) {
      throw new ConfigurationException(source, entry, "whitespace or a control character inside the name: expected "
          + Worker.NAME_RULE);
    }
    if (!Worker.isValidName(name)) {
      throw new ConfigurationException(source, entry, "expected " + Worker.NAME_RULE);
    }
    return name;
  }

  /** The text with control characters shown as a backslash, u and four hex digits: no message mangles a terminal. */
  private static String printable(String text) {
    StringBuilder shown = new StringBuilder();
    text.codePoints().forEach(c -> shown.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
        : Character.toString(c)));
    return shown.toString();
  }

  /** The default name: {@code <prefix>-<hostname>}, the prefix from ATTUNE_WORKER_NAME_PREFIX or "worker". */
  private String defaultWorkerName() {
    String host = env("HOSTNAME").orElseGet(() -> {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException unknown) {
        return "localhost";
      }
    });
    return env(WORKER_NAME_PREFIX).orElse("worker") + "-" + host.replaceAll("[^A-Za-z0-9._-]", "-");
  }

  private WorkerType workerType(TreeReader worker) {
    Optional<String> fromEnv = env(WORKER_TYPE);
    String text = fromEnv.or(() -> worker.string("type")).orElse("local");
    return WorkerType.parse(text).orElseThrow(() -> new ConfigurationException(
        fromEnv.isPresent() ? "environment" : worker.source(),
        (fromEnv.isPresent() ? WORKER_TYPE : worker.pathOf("type")) + " = '" + text + "'",
        "expected local, container or remote"));
  }

  private Duration seconds(TreeReader section, String key, String variable, long defaultSeconds) {
    Optional<Long> fromEnv = envNumber(variable, 1, "expected a positive number of seconds");
    return Duration.ofSeconds(fromEnv.orElseGet(() -> (long) section.integer(key, 1, 86_400)
        .orElse((int) defaultSeconds)));
  }

  private long maxParametersBytes(TreeReader scheduler) {
    return envNumber(MAX_PARAMETERS_BYTES, 2, "expected a number of bytes, at least 2 (an empty JSON object)")
        .orElseGet(() -> scheduler.integer("max_parameters_bytes", 2, Integer.MAX_VALUE).map(Integer::longValue)
            .orElse(DEFAULT_MAX_PARAMETERS_BYTES));
  }

  /** A whole number of at least {@code min} from the variable, when it is set; an error naming it otherwise. */
  private Optional<Long> envNumber(String variable, long min, String expected) {
    return envNumber(variable, min, Long.MAX_VALUE, expected);
  }

  /** A whole number from {@code min} to {@code max} from the variable, when it is set; an error naming it otherwise. */
  private Optional<Long> envNumber(String variable, long min, long max, String expected) {
    Optional<String> text = env(variable);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      long value = Long.parseLong(text.get().trim());
      if (value >= min && value <= max) {
        return Optional.of(value);
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new ConfigurationException("environment", variable + "='" + text.get() + "'", expected);
  }

  private static Map<RuntimeName, Path> interpreters(TreeReader worker) {
    Map<RuntimeName, Path> interpreters = new HashMap<>();
    worker.object("interpreters").ifPresent(section -> {
      for (String key : section.keys()) {
        RuntimeName runtime = RuntimeName.parse(key).orElseThrow(() -> section.error(section.pathOf(key),
            "expected " + RuntimeName.expectedForm()));
        String path = section.string(key).filter(s -> !s.isBlank()).orElseThrow(() -> section.error(
            section.pathOf(key), "expected the path of an interpreter binary"));
        interpreters.put(runtime, Path.of(path));
      }
    });
    return interpreters;
  }

  private Optional<DatabaseConfig> database(TreeReader root) {
    TreeReader db = root.object("database").orElseGet(() -> TreeReader.of(Map.of(), root.source(), "database"))
        .onlyKeys(DATABASE_KEYS);
    Optional<String> url = env(DATABASE_URL).or(() -> db.string("url"));
    if (url.isEmpty()) {
      return Optional.empty();
    }
    if (!url.get().startsWith("jdbc:postgresql://")) {
      throw new ConfigurationException(env(DATABASE_URL).isPresent() ? "environment" : root.source(),
          (env(DATABASE_URL).isPresent() ? DATABASE_URL : "database.url") + " = '" + url.get() + "'",
          "expected jdbc:postgresql://host:port/database");
    }
    return Optional.of(new DatabaseConfig(url.get(), env(DATABASE_USER).or(() -> db.string("user")).orElse(""),
        env(DATABASE_PASSWORD).or(() -> db.string("password")).orElse("")));
  }

  private Optional<String> env(String name) {
    return Optional.ofNullable(environment.get(name)).filter(v -> !v.isEmpty());
  }

  /** Reads a YAML or JSON file (JSON is YAML); syntax errors name the line and column. */
  static TreeReader read(Path file) {
    String source = file.toString();
    try {
      Object tree = new ObjectMapper(new YAMLFactory()).readValue(Files.readString(file), Object.class);
      return TreeReader.of(tree == null ? Map.of() : tree, source, "");
    } catch (NoSuchFileException missing) {
      throw new ConfigurationException(source, "file", "does not exist: expected a YAML or JSON configuration file");
    } catch (JsonProcessingException syntax) {
      JsonLocation at = syntax.getLocation();
      throw new ConfigurationException(source, at == null ? "syntax" : "line " + at.getLineNr() + ", column "
          + at.getColumnNr(), "not valid YAML or JSON: " + syntax.getOriginalMessage());
    } catch (IOException unreadable) {
      throw new ConfigurationException(source, "file", "cannot be read: " + unreadable.getMessage());
    }
  }

  /** An AMQP URL with its password replaced by ***. */
  public static String maskUrl(String url) {
    return url.replaceAll("(://[^:/@]*:)[^@]*@", "$1***@");
  }
}
