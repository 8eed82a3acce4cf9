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

/**
 * Loads {@link AttuneConfig}: the YAML or JSON file (named by {@code --config} or {@code ATTUNE_CONFIG}), then the
 * environment on top, each setting as {@link Settings} declares it. Every error names the file or variable, the key
 * and what was expected.
 */
public final class ConfigLoader {

  /** Variables other parts name in their messages and tests; each is declared in {@link Settings}. */
  public static final String WORKER_NAME = Settings.WORKER_NAME.variableName();
  public static final String WORKER_NAME_WAIT = Settings.WORKER_NAME_WAIT.variableName();
  public static final String DATABASE_URL = Settings.DATABASE_URL.variableName();
  public static final String DATABASE_USER = Settings.DATABASE_USER.variableName();
  public static final String DATABASE_PASSWORD = Settings.DATABASE_PASSWORD.variableName();
  public static final String MQ_URL = Settings.MQ_URL.variableName();
  public static final String PACKS_DIR = Settings.PACKS_DIR.variableName();
  public static final String MAX_PARAMETERS_BYTES = Settings.MAX_PARAMETERS_BYTES.variableName();

  private final Map<String, String> environment;
  private final SettingReader settings;

  public ConfigLoader(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
    this.settings = new SettingReader(this.environment);
  }

  /** Loads the file named by the option, else by {@code ATTUNE_CONFIG}, else only the environment. */
  public AttuneConfig load(Optional<Path> configOption) {
    Optional<Path> file = configOption.or(() -> env(Settings.CONFIG.variableName()).map(Path::of));
    TreeReader root = file.map(ConfigLoader::read).orElseGet(() -> TreeReader.of(Map.of(), "environment", ""));
    root.onlyKeys(Settings.keysOf(""));
    TreeReader worker = section(root, "worker");

    String name = workerName(worker);
    WorkerType type = workerType(worker);
    Duration heartbeat = seconds(Settings.HEARTBEAT_INTERVAL, worker);
    Duration grace = seconds(Settings.SHUTDOWN_GRACE, worker);
    Duration probeTimeout = seconds(Settings.PROBE_TIMEOUT, worker);
    long outputCap = settings.whole(Settings.OUTPUT_CAP, worker);
    Optional<CapabilityDeclaration> capabilities = worker.object("capabilities").map(CapabilityTree::declarationFromTree);
    // worker.packs sits beside the capabilities but is resolved with them: ATTUNE_WORKER_PACKS wins over it
    List<String> packsServed = CapabilityTree.packs(worker, Settings.PACKS_SERVED.keyInSection().orElseThrow());
    if (!packsServed.isEmpty()) {
      capabilities = Optional.of(capabilities.orElseGet(() -> CapabilityDeclaration.empty(root.source()))
          .withPacks(packsServed));
    }
    Map<RuntimeName, Path> interpreters = interpreters(worker);

    Path packs = Path.of(settings.text(Settings.PACKS_DIR, root).orElse(Settings.PACKS_DIR.defaultValue()));
    Optional<DatabaseConfig> database = database(root);
    TreeReader mq = section(root, "mq");
    int maxMessageBytes = (int) settings.whole(Settings.MQ_MAX_MESSAGE_BYTES, mq);
    Optional<BrokerConfig> broker = settings.text(Settings.MQ_URL, mq).map(url -> new BrokerConfig(url,
        settings.text(Settings.MQ_USER, mq), settings.text(Settings.MQ_PASSWORD, mq), maxMessageBytes));
    TreeReader scheduler = section(root, "scheduler");
    Duration schedulingTimeout = seconds(Settings.SCHEDULING_TIMEOUT, scheduler);
    Duration dispatchTimeout = seconds(Settings.DISPATCH_TIMEOUT, scheduler);
    int maxAttempts = (int) settings.whole(Settings.MAX_ATTEMPTS, scheduler);
    int maxRedeliveries = (int) settings.whole(Settings.MAX_REDELIVERIES, scheduler);
    long maxParametersBytes = settings.whole(Settings.MAX_PARAMETERS_BYTES, scheduler);
    Duration fleetViewMaxStaleness = Duration.ofMillis(settings.whole(Settings.FLEET_VIEW_MAX_STALENESS, scheduler));
    int sweepConcurrency = (int) settings.whole(Settings.SWEEP_CONCURRENCY, scheduler);
    Duration connectWait = seconds(Settings.CONNECT_WAIT, worker);
    Optional<Path> healthFile = settings.text(Settings.HEALTH_FILE, worker).map(Path::of);
    Duration reprobe = Duration.ofSeconds(settings.whole(Settings.REPROBE, worker));
    Duration nameWait = Duration.ofSeconds(settings.whole(Settings.WORKER_NAME_WAIT, worker));

    return new AttuneConfig(file, environment, name, type, heartbeat, grace, probeTimeout, outputCap, capabilities,
        interpreters, packs, database, broker, schedulingTimeout, dispatchTimeout,
        new AttemptLimits(maxAttempts, maxRedeliveries), maxParametersBytes, connectWait, healthFile,
        fleetViewMaxStaleness, sweepConcurrency, reprobe, nameWait);
  }

  /** A section of the file, empty when it is absent, with only the keys its settings have. */
  private static TreeReader section(TreeReader root, String name) {
    return root.object(name).orElseGet(() -> TreeReader.of(Map.of(), root.source(), name))
        .onlyKeys(Settings.keysOf(name));
  }

  /**
   * The worker's name from ATTUNE_WORKER_NAME, else the file's {@code worker.name}, else the default; surrounding
   * whitespace is trimmed (a value pasted with a trailing space or newline), and a name with whitespace or a control
   * character inside, or otherwise not a valid name, is an error naming where it came from.
   */
  private String workerName(TreeReader worker) {
    Setting setting = Settings.WORKER_NAME;
    Optional<String> given = settings.text(setting, worker);
    if (given.isEmpty()) {
      return defaultWorkerName();
    }
    boolean fromEnv = settings.fromEnvironment(setting);
    String source = fromEnv ? "environment" : worker.source();
    String entry = (fromEnv ? setting.variableName() : setting.key().orElseThrow()) + "='" + printable(given.get())
        + "'";
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
    return settings.env(Settings.WORKER_NAME_PREFIX.variableName()).orElse(Settings.WORKER_NAME_PREFIX.defaultValue())
        + "-" + host.replaceAll("[^A-Za-z0-9._-]", "-");
  }

  private WorkerType workerType(TreeReader worker) {
    Setting setting = Settings.WORKER_TYPE;
    boolean fromEnv = settings.fromEnvironment(setting);
    String text = settings.text(setting, worker).orElse(setting.defaultValue());
    return WorkerType.parse(text).orElseThrow(() -> new ConfigurationException(fromEnv ? "environment"
        : worker.source(), (fromEnv ? setting.variableName() : worker.pathOf(setting.keyInSection().orElseThrow()))
        + " = '" + text + "'", "expected " + setting.form()));
  }

  private Duration seconds(Setting setting, TreeReader section) {
    return Duration.ofSeconds(settings.whole(setting, section));
  }

  private static Map<RuntimeName, Path> interpreters(TreeReader worker) {
    Map<RuntimeName, Path> interpreters = new HashMap<>();
    worker.object(Settings.INTERPRETERS.keyInSection().orElseThrow()).ifPresent(section -> {
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
    TreeReader db = section(root, "database");
    Optional<String> url = settings.text(Settings.DATABASE_URL, db);
    if (url.isEmpty()) {
      return Optional.empty();
    }
    if (!url.get().startsWith("jdbc:postgresql://")) {
      boolean fromEnv = settings.fromEnvironment(Settings.DATABASE_URL);
      throw new ConfigurationException(fromEnv ? "environment" : root.source(), (fromEnv ? DATABASE_URL
          : Settings.DATABASE_URL.key().orElseThrow()) + " = '" + url.get() + "'", "expected "
          + Settings.DATABASE_URL.form());
    }
    return Optional.of(new DatabaseConfig(url.get(), settings.text(Settings.DATABASE_USER, db).orElse(""),
        settings.text(Settings.DATABASE_PASSWORD, db).orElse("")));
  }

  private Optional<String> env(String name) {
    return settings.env(name);
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
