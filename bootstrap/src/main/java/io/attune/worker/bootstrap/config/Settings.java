package io.attune.worker.bootstrap.config;

import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import io.attune.worker.bootstrap.config.Setting.Whole;
import io.attune.worker.bootstrap.logging.LogSettings;
import io.attune.worker.core.fleet.FleetView;
import io.attune.worker.core.model.action.ParameterCap;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.user.DefaultUser;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.port.out.Environment;
import io.attune.worker.core.service.ReconcileExecutionsService;
import java.util.List;
import java.util.Set;

/**
 * Every setting of the command line, each declared once: {@link ConfigLoader} reads through it, {@code --help} lists
 * it and a test holds the settings table of docs/operations.md to it. Where another part owns a name or a default
 * (the core's capability variables, the logging set-up, the broker's message cap), the declaration refers to it.
 */
public final class Settings {

  private static final Set<String> WORKER = Set.of("run");
  private static final Set<String> PROBING = Set.of("run", "capabilities");
  private static final Set<String> IDENTITY = Set.of("run", "capabilities", "health");
  private static final Set<String> ROLES = Set.of("run", "scheduler");
  private static final Set<String> SCHEDULER = Set.of("scheduler");
  private static final Set<String> PACKS = Set.of("run", "capabilities", "submit", "explain", "demo");
  private static final Set<String> DATABASE = Set.of("run", "scheduler", "submit", "executions", "cancel", "workers",
      "cordon", "uncordon", "explain", "health", "migrate", "init-user");
  private static final Set<String> BROKER = Set.of("run", "scheduler", "submit", "cancel");
  private static final long MIB = 1024L * 1024;

  public static final Setting CONFIG = Setting.text("configuration file", "ATTUNE_CONFIG", null, "none",
      "a YAML or JSON file", "the configuration file, unless --config names one");
  public static final Setting LOG_LEVEL = Setting.text("log level", LogSettings.LEVEL, null,
      LogSettings.defaults().level(), String.join(", ", LogSettings.LEVELS), "how much the process logs");
  public static final Setting LOG_FORMAT = Setting.text("log format", LogSettings.FORMAT, null,
      LogSettings.defaults().format().wireName(), "text or json", "text lines, or one JSON object per line");
  public static final Setting LOG_DIR = Setting.text("log copy", LogSettings.DIR, null, "none", "a folder",
      "where a copy of the log goes, rotated by size");
  public static final Setting LOG_MAX_FILE_SIZE = Setting.text("log file size", LogSettings.MAX_FILE_SIZE, null,
      LogSettings.DEFAULT_MAX_FILE_SIZE / MIB + "MB", "a size in KB, MB or GB, at least 1KB",
      "the copy of the log rolls over past this size");
  public static final Setting LOG_MAX_FILES = Setting.text("log files kept", LogSettings.MAX_FILES, null,
      Integer.toString(LogSettings.DEFAULT_MAX_FILES), LogSettings.MIN_MAX_FILES + "-" + LogSettings.MAX_MAX_FILES
          + " files", "how many files of the log's copy are kept, the current one included");

  public static final Setting WORKER_NAME = Setting.text("worker name", "ATTUNE_WORKER_NAME", "worker.name",
      "<ATTUNE_WORKER_NAME_PREFIX or worker>-<hostname>", Worker.NAME_RULE,
      "the worker's unique name; one live process holds it").readBy(IDENTITY);
  public static final Setting WORKER_NAME_PREFIX = Setting.text("name prefix", "ATTUNE_WORKER_NAME_PREFIX", null,
      "worker", "a name", "the default name's first part: <prefix>-<hostname>").readBy(IDENTITY);
  public static final Setting WORKER_NAME_WAIT = Setting.whole("name wait", "ATTUNE_WORKER_NAME_WAIT_SECONDS",
      "worker.name_wait_seconds", Whole.of(0, 86_400, 0, "seconds",
          "expected a number of seconds from 0 (refuse at once) to 86400"),
      "how long run waits for a live holder of its name to be gone (--wait-for-name)").readBy(WORKER);
  public static final Setting ACTION_USER = Setting.text("action user", "ATTUNE_ACTION_USER", null,
      "nobody when the worker runs as root, else the worker's own user", "a user name or UID:GID",
      "who actions run as; only a root worker can switch").readBy(WORKER);
  // the launcher's name is the runner's (ActionLauncher), package-private in adapter-local: spelt here for the docs
  public static final Setting ACTION_LAUNCHER = Setting.text("action launcher", "ATTUNE_ACTION_LAUNCHER", null,
      "the one inside the jar, extracted once into a private folder", "a path",
      "the attune-launch binary, which owns each action's process tree").readBy(WORKER);
  public static final Setting WORKER_TYPE = Setting.text("worker type", "ATTUNE_WORKER_TYPE", "worker.type", "local",
      "local, container or remote", "what kind of machine the worker is; informational").readBy(IDENTITY);
  public static final Setting RUNTIMES = Setting.text("runtimes", Environment.WORKER_RUNTIMES,
      "worker.capabilities.runtimes", "auto-detect", "runtime names, comma-separated",
      "the runtimes the worker declares instead of probing for them").readBy(PROBING);
  public static final Setting MAX_CONCURRENT_EXECUTIONS = Setting.text("concurrency",
      Environment.WORKER_MAX_CONCURRENT_EXECUTIONS, "worker.capabilities.max_concurrent_executions",
      Integer.toString(Capabilities.DEFAULT_MAX_CONCURRENT_EXECUTIONS), "at least 1",
      "how many executions the worker runs at once").readBy(PROBING);
  public static final Setting LABELS = Setting.text("labels", Environment.WORKER_LABELS, "worker.capabilities.labels",
      "none", "key=value,key=value", "labels matched by actions' selector and affinity").readBy(PROBING);
  public static final Setting TAINTS = Setting.text("taints", null, "worker.capabilities.taints", "none",
      "a list of {key, value, effect}", "keep actions away unless they tolerate them").readBy(PROBING);
  public static final Setting PACKS_SERVED = Setting.text("packs served", Environment.WORKER_PACKS, "worker.packs",
      "every pack", "pack names, comma-separated", "the packs whose actions the worker takes").readBy(PROBING);
  public static final Setting HEARTBEAT_INTERVAL = Setting.whole("heartbeat", "ATTUNE_HEARTBEAT_INTERVAL_SECONDS",
      "worker.heartbeat_interval_seconds", Whole.seconds(30),
      "time between heartbeats; a worker is stale after 3 missed").readBy(WORKER);
  public static final Setting SHUTDOWN_GRACE = Setting.whole("shutdown grace", "ATTUNE_SHUTDOWN_GRACE_SECONDS",
      "worker.shutdown_grace_seconds", Whole.seconds(30),
      "how long a draining worker lets running executions finish").readBy(WORKER);
  public static final Setting PROBE_TIMEOUT = Setting.whole("probe timeout", "ATTUNE_PROBE_TIMEOUT_SECONDS",
      "worker.probe_timeout_seconds", Whole.seconds(2), "how long probing one binary may take").readBy(PROBING);
  public static final Setting REPROBE = Setting.whole("re-probe interval", "ATTUNE_REPROBE_SECONDS",
      "worker.reprobe_seconds", Whole.of(0, 86_400, 300, "seconds",
          "expected a number of seconds from 0 (never re-probe) to 86400"),
      "how often auto-detected runtimes are probed again; 0: never").readBy(WORKER);
  public static final Setting CONNECT_WAIT = Setting.whole("connect wait", "ATTUNE_CONNECT_WAIT_SECONDS",
      "worker.connect_wait_seconds", Whole.seconds(60),
      "how long a starting worker or scheduler waits for PostgreSQL and RabbitMQ").readBy(ROLES);
  public static final Setting OUTPUT_CAP = Setting.whole("output cap", null, "worker.output_cap_bytes",
      Whole.of(1024, Integer.MAX_VALUE, MIB, "bytes", "expected a number of bytes"),
      "how much of each output stream of an action is kept").readBy(WORKER);
  public static final Setting INTERPRETERS = Setting.text("interpreters", null, "worker.interpreters", "none",
      "runtime: path of its interpreter", "the interpreters of custom runtimes").readBy(PROBING);
  public static final Setting HEALTH_FILE = Setting.text("health file", "ATTUNE_HEALTH_FILE", "worker.health_file",
      "none", "a path", "rewritten each time a heartbeat reaches the database").readBy(WORKER);
  public static final Setting PACKS_DIR = Setting.text("packs folder", "ATTUNE_PACKS_DIR", "packs_dir", "packs",
      "a folder", "where the packs are: <pack>/pack.yaml and the actions").readBy(PACKS);

  public static final Setting DATABASE_URL = Setting.text("database", "ATTUNE_DATABASE_URL", "database.url", "none",
      "jdbc:postgresql://host:port/database", "the PostgreSQL database").readBy(DATABASE).fromSecretFile();
  public static final Setting DATABASE_USER = Setting.text("database user", "ATTUNE_DATABASE_USER", "database.user",
      "none", "a user name", "the PostgreSQL user").readBy(DATABASE).fromSecretFile();
  public static final Setting DATABASE_PASSWORD = Setting.text("database password", "ATTUNE_DATABASE_PASSWORD",
      "database.password", "none", "a password", "the PostgreSQL user's password").readBy(DATABASE).fromSecretFile();
  public static final Setting MQ_URL = Setting.text("broker", "ATTUNE_MQ_URL", "mq.url", "none",
      "amqp://user:password@host:port/vhost, or amqps://...", "the RabbitMQ broker").readBy(BROKER)
      .fromSecretFile();
  public static final Setting MQ_USER = Setting.text("broker user", "ATTUNE_MQ_USER", "mq.user",
      "the URL's, else guest", "a user name", "wins over the URL's").readBy(BROKER).fromSecretFile();
  public static final Setting MQ_PASSWORD = Setting.text("broker password", "ATTUNE_MQ_PASSWORD", "mq.password",
      "the URL's, else guest", "any characters, no encoding", "wins over the URL's").readBy(BROKER).fromSecretFile();
  public static final Setting MQ_MAX_MESSAGE_BYTES = Setting.whole("message cap", "ATTUNE_MQ_MAX_MESSAGE_BYTES",
      "mq.max_message_bytes", Whole.of(0, Integer.MAX_VALUE, 0, "bytes", "expected a number of bytes"),
      "a consumer dead-letters a bigger message unread").readBy(BROKER)
      .shown(Integer.toString(RabbitSettings.DEFAULT_MAX_MESSAGE_BYTES), RabbitSettings.MIN_MAX_MESSAGE_BYTES + "-"
          + RabbitSettings.CLIENT_INBOUND_LIMIT_BYTES + " bytes, or 0 for the default");

  public static final Setting SCHEDULING_TIMEOUT = Setting.whole("scheduling timeout",
      "ATTUNE_SCHEDULING_TIMEOUT_SECONDS", "scheduler.scheduling_timeout_seconds", Whole.seconds(300),
      "a waiting execution is abandoned this long after it was last queued").readBy(SCHEDULER);
  public static final Setting DISPATCH_TIMEOUT = Setting.whole("dispatch timeout", "ATTUNE_DISPATCH_TIMEOUT_SECONDS",
      "scheduler.dispatch_timeout_seconds", Whole.seconds(60),
      "an execution scheduled this long without starting is requeued").readBy(SCHEDULER);
  public static final Setting FLEET_VIEW_MAX_STALENESS = Setting.whole("fleet view staleness",
      "ATTUNE_FLEET_VIEW_MAX_STALENESS_MS", "scheduler.fleet_view_max_staleness_ms", Whole.of(0, 60_000,
          FleetView.DEFAULT_MAX_STALENESS.toMillis(), "ms", "expected a number of milliseconds from 0 to 60000"),
      "how old the scheduler's copy of the workers may be when it decides").readBy(SCHEDULER);
  public static final Setting SWEEP_CONCURRENCY = Setting.whole("sweep concurrency", "ATTUNE_SWEEP_CONCURRENCY",
      "scheduler.sweep_concurrency", Whole.of(1, 64, ReconcileExecutionsService.Settings.DEFAULT_PLACEMENT_CONCURRENCY,
          "placements", "expected a number of placements from 1 to 64"),
      "how many waiting executions a sweep places at once").readBy(SCHEDULER);
  public static final Setting MAX_ATTEMPTS = Setting.whole("attempts", null, "scheduler.max_attempts",
      Whole.of(1, 100, AttemptLimits.DEFAULT_MAX_RUNS, "runs", "expected a number of runs from 1 to 100"),
      "how many attempts of an execution may start the action").readBy(ROLES);
  public static final Setting MAX_REDELIVERIES = Setting.whole("redeliveries", "ATTUNE_MAX_REDELIVERIES",
      "scheduler.max_redeliveries", Whole.of(0, 100, AttemptLimits.DEFAULT_MAX_REDELIVERIES, "placements",
          "expected a number of redeliveries from 0 to 100"),
      "how many placements that never started an execution gets").readBy(ROLES);
  public static final Setting MAX_PARAMETERS_BYTES = Setting.whole("parameters cap", "ATTUNE_MAX_PARAMETERS_BYTES",
      "scheduler.max_parameters_bytes", new Whole(2, Integer.MAX_VALUE, Long.MAX_VALUE, ParameterCap.DEFAULT_MAX_BYTES, "bytes",
          "expected a number of bytes, at least 2 (an empty JSON object)"),
      "the largest parameters object a submission may carry, as JSON").readBy(Set.of("submit"));
  public static final Setting HTTP_PORT = Setting.text("HTTP port", "ATTUNE_HTTP_PORT", null, "none",
      "0-65535, 0 for any free port", "the port of /metrics, /healthz and /readyz").readBy(ROLES);

  public static final Setting APP_DATABASE_USER = Setting.text("application login", "ATTUNE_APP_DATABASE_USER",
      null, "none", "a user name", "the login role migrate creates for workers and schedulers")
      .readBy(Set.of("migrate"));
  public static final Setting APP_DATABASE_PASSWORD = Setting.text("application password",
      "ATTUNE_APP_DATABASE_PASSWORD", null, "none", "a password", "its password").readBy(Set.of("migrate"))
      .fromSecretFile();
  public static final Setting INIT_USER_LOGIN = Setting.text("default user", "ATTUNE_INIT_USER_LOGIN", null,
      DefaultUser.LOGIN, "a login", "the login of the user init-user creates").readBy(Set.of("init-user"));
  public static final Setting INIT_USER_PASSWORD = Setting.text("default user's password",
      "ATTUNE_INIT_USER_PASSWORD", null, "the documented one, with a warning", "a password",
      "the password of the user init-user creates").readBy(Set.of("init-user")).fromSecretFile();
  public static final Setting INIT_USER_DISPLAY_NAME = Setting.text("default user's name",
      "ATTUNE_INIT_USER_DISPLAY_NAME", null, DefaultUser.DISPLAY_NAME, "a name",
      "the display name of the user init-user creates").readBy(Set.of("init-user"));
  public static final Setting INIT_USER_WAIT = Setting.whole("init-user wait", "ATTUNE_INIT_USER_WAIT_SECONDS", null,
      new Whole(0, Integer.MAX_VALUE, Integer.MAX_VALUE, 60, "seconds", "expected a number of seconds (0 or more)"),
      "how long init-user waits for the database").readBy(Set.of("init-user"));

  /** Every setting, in the order help lists them. */
  public static final List<Setting> ALL = List.of(CONFIG, LOG_LEVEL, LOG_FORMAT, LOG_DIR, LOG_MAX_FILE_SIZE,
      LOG_MAX_FILES, WORKER_NAME, WORKER_NAME_PREFIX, WORKER_NAME_WAIT, WORKER_TYPE, ACTION_USER, ACTION_LAUNCHER,
      RUNTIMES, MAX_CONCURRENT_EXECUTIONS, LABELS, TAINTS, PACKS_SERVED, HEARTBEAT_INTERVAL, SHUTDOWN_GRACE,
      PROBE_TIMEOUT, REPROBE, CONNECT_WAIT, OUTPUT_CAP, INTERPRETERS, HEALTH_FILE, PACKS_DIR, DATABASE_URL,
      DATABASE_USER, DATABASE_PASSWORD, MQ_URL, MQ_USER, MQ_PASSWORD, MQ_MAX_MESSAGE_BYTES, SCHEDULING_TIMEOUT,
      DISPATCH_TIMEOUT, FLEET_VIEW_MAX_STALENESS, SWEEP_CONCURRENCY, MAX_ATTEMPTS, MAX_REDELIVERIES,
      MAX_PARAMETERS_BYTES, HTTP_PORT, APP_DATABASE_USER, APP_DATABASE_PASSWORD, INIT_USER_LOGIN, INIT_USER_PASSWORD,
      INIT_USER_DISPLAY_NAME, INIT_USER_WAIT);

  private Settings() {
  }

  /** The keys the file may have in a section ({@code ""} for the top), from the settings that live there. */
  static Set<String> keysOf(String section) {
    String prefix = section.isEmpty() ? "" : section + ".";
    return Set.copyOf(ALL.stream().flatMap(s -> s.key().stream()).filter(k -> k.startsWith(prefix))
        .map(k -> k.substring(prefix.length()).split("\\.")[0]).toList());
  }

  /** The settings that {@code --help} of this command lists. */
  public static List<Setting> readBy(String command) {
    return ALL.stream().filter(s -> s.isReadBy(command)).toList();
  }
}
