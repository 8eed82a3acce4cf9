package io.attune.worker.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.testsupport.repository.ComposeFile.Mount;
import io.attune.worker.testsupport.repository.ComposeFile.Service;
import io.attune.worker.deployment.DockerfileModel.Copy;
import io.attune.worker.deployment.DockerfileModel.Healthcheck;
import io.attune.worker.deployment.DockerfileModel.ImageConfig;
import io.attune.worker.deployment.DockerfileModel.Instruction;
import io.attune.worker.testsupport.repository.ComposeFile;
import io.attune.worker.testsupport.repository.RepositoryFiles;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What must hold between {@code docker-compose.yaml}, {@code docker/Dockerfile.worker}, {@code .dockerignore}
 * and the POMs, checked without a Docker engine. Each test collects every violation, naming the service or
 * target and what was expected, so one run shows all that is wrong.
 */
class DeploymentContractTest {

  /** The issue's table: each image target and the runtimes it carries. */
  private static final Map<String, List<String>> TARGET_RUNTIMES = new TreeMap<>(Map.of(
      "worker-base", List.of("shell"),
      "worker-python", List.of("shell", "python"),
      "worker-node", List.of("shell", "node"),
      "worker-full", List.of("shell", "python", "node", "native")));
  private static final Map<String, Integer> TARGET_UID = new TreeMap<>(Map.of(
      "worker-base", 1000, "worker-python", 1001, "worker-node", 1001, "worker-full", 1001));
  /** The compose worker services and the image target each runs. */
  private static final Map<String, String> WORKER_SERVICE_TARGET = new TreeMap<>(Map.of(
      "worker-shell", "worker-base", "worker-python", "worker-python",
      "worker-node", "worker-node", "worker-full", "worker-full"));

  private static final String DOCKERFILE = "docker/Dockerfile.worker";
  private static final String JAR = "/opt/attune/attune-worker.jar";
  private static final String PACKS = "/opt/attune/packs";
  private static final String LOGS = "/var/log/attune";
  private static final String INIT_USER_ENTRY = "/opt/attune/bin/init-user";
  private static final String HEALTH_CHECK = "/opt/attune/bin/healthcheck";
  private static final int DEFAULT_SHUTDOWN_GRACE_SECONDS = 30;

  private final Path root = RepositoryFiles.root();
  private final ComposeFile compose = ComposeFile.load();
  private final DockerfileModel dockerfile = DockerfileModel.load();

  // ---------------------------------------------------------------------------------------------------
  // the variants: runtimes, user, health check, default command
  // ---------------------------------------------------------------------------------------------------

  @Test
  void compose_runs_the_four_worker_variants_and_the_services_they_need() {
    assertThat(compose.serviceNames())
        .as("services of %s", compose.path())
        .contains("postgres", "rabbitmq", "migrations", "init-user", "scheduler")
        .containsAll(WORKER_SERVICE_TARGET.keySet());
    assertThat(workerServices()).extracting(Service::name)
        .as("services of %s that run the image's default command (run)", compose.path())
        .containsExactlyInAnyOrderElementsOf(WORKER_SERVICE_TARGET.keySet());
  }

  @Test
  void each_worker_target_declares_the_runtimes_of_its_variant() {
    List<String> violations = new ArrayList<>();
    TARGET_RUNTIMES.forEach((target, runtimes) -> {
      if (!dockerfile.hasStage(target)) {
        violations.add(DOCKERFILE + ": no target " + target);
        return;
      }
      String declared = dockerfile.config(target).env().get("ATTUNE_WORKER_RUNTIMES");
      if (declared == null || !runtimeList(declared).equals(runtimes)) {
        violations.add(DOCKERFILE + " target " + target + ": ENV ATTUNE_WORKER_RUNTIMES is " + quoted(declared)
            + ", expected " + String.join(",", runtimes));
      }
    });
    assertThat(violations).as("runtimes declared by the image targets").isEmpty();
  }

  @Test
  void each_worker_service_advertises_exactly_the_runtimes_of_its_image_target() {
    List<String> violations = new ArrayList<>();
    for (Service service : workerServices()) {
      String expectedTarget = WORKER_SERVICE_TARGET.get(service.name());
      Optional<String> target = service.buildTarget();
      if (target.isEmpty() || !dockerfile.hasStage(target.get())) {
        violations.add(service.name() + ": build.target is " + quoted(target.orElse(null))
            + ", expected a target of " + DOCKERFILE + " (" + expectedTarget + ")");
        continue;
      }
      if (expectedTarget != null && !expectedTarget.equals(target.get())) {
        violations.add(service.name() + ": build.target is " + target.get() + ", expected " + expectedTarget);
      }
      String variant = target.get().substring("worker-".length());
      if (!service.image().equals(Optional.of("attune-worker:" + variant))) {
        violations.add(service.name() + ": image is " + quoted(service.image().orElse(null))
            + ", expected attune-worker:" + variant + " (the tag the Makefile builds for " + target.get() + ")");
      }
      String imageRuntimes = dockerfile.config(target.get()).env().get("ATTUNE_WORKER_RUNTIMES");
      String serviceRuntimes = service.environment().get("ATTUNE_WORKER_RUNTIMES");
      if (serviceRuntimes == null) {
        violations.add(service.name() + ": sets no ATTUNE_WORKER_RUNTIMES; expected " + imageRuntimes
            + " as its image target " + target.get() + " declares");
      } else if (imageRuntimes == null
          || !new TreeSet<>(runtimeList(serviceRuntimes)).equals(new TreeSet<>(runtimeList(imageRuntimes)))) {
        violations.add(service.name() + ": ATTUNE_WORKER_RUNTIMES is " + quoted(serviceRuntimes)
            + " but its image target " + target.get() + " declares " + quoted(imageRuntimes)
            + ": a worker must advertise exactly the runtimes its image carries");
      }
    }
    assertThat(violations).as("worker runtimes, compose against image").isEmpty();
  }

  @Test
  void every_worker_target_runs_as_the_non_root_user_attune_with_its_uid() {
    List<String> violations = new ArrayList<>();
    TARGET_UID.forEach((target, uid) -> {
      if (!dockerfile.hasStage(target)) {
        violations.add(DOCKERFILE + ": no target " + target);
        return;
      }
      ImageConfig config = dockerfile.config(target);
      String user = config.user().orElse("root (no USER)");
      if (!user.equals("attune")) {
        violations.add(target + ": runs as " + user + ", expected USER attune");
      }
      Optional<Integer> createdUid = config.createdUid("attune");
      if (createdUid.isEmpty()) {
        violations.add(target + ": no RUN creates the user attune with useradd --uid; expected UID " + uid);
      } else if (!createdUid.get().equals(uid)) {
        violations.add(target + ": user attune has UID " + createdUid.get() + ", expected " + uid);
      }
    });
    assertThat(violations).as("users of the worker targets").isEmpty();
  }

  @Test
  void every_worker_target_has_a_health_check_that_reads_the_heartbeat_file_without_a_jvm() {
    List<String> violations = new ArrayList<>();
    for (String target : TARGET_RUNTIMES.keySet()) {
      Optional<Healthcheck> check = dockerfile.config(target).healthcheck();
      if (check.isEmpty() || check.get().none()) {
        violations.add(target + ": no HEALTHCHECK; expected CMD [\"" + HEALTH_CHECK + "\"]");
        continue;
      }
      if (!check.get().command().equals(List.of(HEALTH_CHECK))) {
        violations.add(target + ": HEALTHCHECK runs " + check.get().command() + ", expected the exec form ["
            + HEALTH_CHECK + "]: a few milliseconds of shell reading the heartbeat file, not a second JVM");
      }
      if (!"/tmp/attune-worker.health".equals(dockerfile.config(target).env().get("ATTUNE_HEALTH_FILE"))) {
        violations.add(target + ": ATTUNE_HEALTH_FILE is " + dockerfile.config(target).env().get("ATTUNE_HEALTH_FILE")
            + ", expected /tmp/attune-worker.health, which the health check reads and a read-only root keeps writable");
      }
      for (String option : List.of("interval", "timeout", "start-period", "retries")) {
        if (!check.get().options().containsKey(option)) {
          violations.add(target + ": HEALTHCHECK has no --" + option + "; expected all of interval, timeout,"
              + " start-period and retries to be chosen, not left to Docker's defaults");
        }
      }
    }
    boolean copied = dockerfile.config("runtime").copies().stream().anyMatch(c -> c.from().isEmpty()
        && c.sources().equals(List.of("docker/healthcheck.sh")) && c.destination().equals(HEALTH_CHECK)
        && c.chmod().filter(mode -> mode.endsWith("755")).isPresent());
    if (!copied) {
      violations.add(DOCKERFILE + ": no COPY --chmod=0755 docker/healthcheck.sh " + HEALTH_CHECK);
    }
    for (Service service : workerServices()) {
      if (service.has("healthcheck")) {
        violations.add(service.name() + ": overrides the image's health check; expected the image's (health)");
      }
    }
    assertThat(violations).as("health checks of the worker targets").isEmpty();
  }

  @Test
  void every_worker_target_runs_the_worker_by_default_as_a_container_worker() {
    List<String> violations = new ArrayList<>();
    for (String target : TARGET_RUNTIMES.keySet()) {
      ImageConfig config = dockerfile.config(target);
      if (!runsJar(config.entrypoint())) {
        violations.add(target + ": ENTRYPOINT is " + config.entrypoint() + ", expected java ... -jar " + JAR);
      }
      boolean tiniInstalled = config.runs().stream()
          .anyMatch(run -> run.matches("(?s).*apt-get install .*\\btini\\b.*"));
      if (config.entrypoint().isEmpty() || !config.entrypoint().get(0).endsWith("/tini") || !tiniInstalled) {
        violations.add(target + ": ENTRYPOINT " + config.entrypoint() + " does not start with an installed tini;"
            + " expected tini as PID 1, to forward SIGTERM and reap the orphans of action scripts");
      }
      if (!config.cmd().equals(List.of("run"))) {
        violations.add(target + ": CMD is " + config.cmd() + ", expected [\"run\"]");
      }
      expectEnv(violations, target, config.env(), "ATTUNE_WORKER_TYPE", "container");
      expectEnv(violations, target, config.env(), "ATTUNE_PACKS_DIR", PACKS);
      expectEnv(violations, target, config.env(), "ATTUNE_LOG_DIR", LOGS);
      if (!config.volumes().contains(LOGS)) {
        violations.add(target + ": VOLUME " + config.volumes() + ", expected it to include " + LOGS);
      }
      boolean jarFromBuilder = config.copies().stream()
          .anyMatch(c -> c.from().equals(Optional.of("builder")) && c.destination().equals(JAR));
      if (!jarFromBuilder) {
        violations.add(target + ": no COPY --from=builder ... " + JAR + "; expected the jar the builder stage builds");
      }
    }
    boolean builderBuildsTheJar = dockerfile.config("builder").runs().stream()
        .anyMatch(run -> run.contains("package") && run.contains("bootstrap/target/attune-worker.jar"));
    if (!builderBuildsTheJar) {
      violations.add("builder: no RUN packages bootstrap/target/attune-worker.jar");
    }
    assertThat(violations).as("default command of the worker targets").isEmpty();
  }

  @Test
  void the_worker_jvm_refuses_attach_and_the_builder_can_compile_the_action_launcher() {
    List<String> violations = new ArrayList<>();
    for (String target : TARGET_RUNTIMES.keySet()) {
      List<String> entrypoint = dockerfile.config(target).entrypoint();
      int jar = entrypoint.indexOf("-jar");
      if (jar < 0 || !entrypoint.subList(0, jar).contains("-XX:+DisableAttachMechanism")) {
        violations.add(target + ": ENTRYPOINT " + entrypoint + " has no -XX:+DisableAttachMechanism before -jar;"
            + " expected it, so that no process of the worker's user (an action) attaches to the worker's JVM");
      }
    }
    Pattern compiler = Pattern.compile("(?s).*apt-get install [^&]*\\bgcc\\b[^&]*\\blibc6-dev\\b.*");
    if (dockerfile.config("builder").runs().stream().noneMatch(run -> compiler.matcher(run).matches())) {
      violations.add("builder: no RUN apt-get install ... gcc libc6-dev; expected them: adapter-local compiles the"
          + " action launcher into the jar, statically (libc.a), and without them the images carry none");
    }
    String launcher = "/opt/attune/bin/attune-launch";
    boolean launcherCopied = dockerfile.config("runtime").copies().stream()
        .anyMatch(c -> c.from().equals(Optional.of("builder")) && c.destination().equals(launcher));
    if (!launcherCopied || !launcher.equals(dockerfile.config("runtime").env().get("ATTUNE_ACTION_LAUNCHER"))) {
      violations.add("runtime: expected COPY --from=builder ... " + launcher + " and ENV ATTUNE_ACTION_LAUNCHER="
          + launcher + ": extracted at start, the launcher would land in /tmp, which a read-only container mounts"
          + " noexec");
    }
    String standIn = "scripts/containers/Containerfile.maven";
    if (!compiler.matcher(RepositoryFiles.read(root.resolve(standIn))).matches()) {
      violations.add(standIn + ": the local stand-in of the Maven image installs no gcc libc6-dev");
    }
    assertThat(violations).as("the worker's JVM and the action launcher in the images").isEmpty();
  }

  // ---------------------------------------------------------------------------------------------------
  // compose: names, mounts, order of start, connections, resources
  // ---------------------------------------------------------------------------------------------------

  @Test
  void no_worker_service_fixes_its_worker_name_so_every_scaled_replica_gets_its_own() {
    List<String> violations = new ArrayList<>();
    Map<String, String> prefixes = new HashMap<>();
    for (Service service : workerServices()) {
      Map<String, String> env = service.environment();
      if (env.containsKey("ATTUNE_WORKER_NAME")) {
        violations.add(service.name() + ": sets ATTUNE_WORKER_NAME, which every replica of a scaled service would"
            + " share; expected ATTUNE_WORKER_NAME_PREFIX (the name becomes <prefix>-<hostname>)");
      }
      for (String key : List.of("container_name", "hostname")) {
        if (service.has(key)) {
          violations.add(service.name() + ": sets " + key + "; expected none, so each replica has its own"
              + " container id as host name and `--scale` works");
        }
      }
      String prefix = env.get("ATTUNE_WORKER_NAME_PREFIX");
      if (prefix == null || prefix.isBlank()) {
        violations.add(service.name() + ": sets no ATTUNE_WORKER_NAME_PREFIX; expected " + service.name());
      } else if (prefixes.containsKey(prefix)) {
        violations.add(service.name() + ": ATTUNE_WORKER_NAME_PREFIX " + prefix + " is also used by "
            + prefixes.get(prefix) + "; expected one prefix per service");
      } else {
        prefixes.put(prefix, service.name());
      }
    }
    assertThat(violations).as("worker names under scaling").isEmpty();
  }

  @Test
  void packs_are_mounted_read_only_in_every_worker_and_wherever_else_they_are_mounted() {
    List<String> violations = new ArrayList<>();
    for (Service service : compose.services()) {
      for (Mount mount : service.mounts()) {
        boolean packs = mount.target().equals(PACKS) || mount.source().replaceFirst("^\\./", "").equals("packs");
        if (packs && !mount.readOnly()) {
          violations.add(service.name() + ": mounts " + mount.source() + " at " + mount.target()
              + " writable; expected read-only (:ro): actions must not change the packs");
        }
      }
    }
    for (Service service : workerServices()) {
      boolean mounted = service.mounts().stream().anyMatch(m -> m.target().equals(PACKS) && m.isBind());
      if (!mounted) {
        violations.add(service.name() + ": does not mount ./packs at " + PACKS + "; expected ./packs:" + PACKS + ":ro");
      }
      String packsDir = service.environment().getOrDefault("ATTUNE_PACKS_DIR", PACKS);
      if (!packsDir.equals(PACKS)) {
        violations.add(service.name() + ": ATTUNE_PACKS_DIR is " + packsDir + ", expected " + PACKS + " (the mount)");
      }
    }
    assertThat(violations).as("pack mounts").isEmpty();
  }

  @Test
  void every_worker_service_keeps_its_logs_in_a_named_volume_of_its_own() {
    List<String> violations = new ArrayList<>();
    Map<String, String> owners = new HashMap<>();
    for (Service service : workerServices()) {
      Optional<Mount> logs = service.mounts().stream().filter(m -> m.target().equals(LOGS)).findFirst();
      if (logs.isEmpty() || logs.get().isBind() || logs.get().source().isEmpty()) {
        violations.add(service.name() + ": no named volume at " + LOGS + "; expected e.g. " + service.name()
            + "-logs:" + LOGS);
        continue;
      }
      String volume = logs.get().source();
      if (!compose.volumeNames().contains(volume)) {
        violations.add(service.name() + ": log volume " + volume + " is not declared under the top-level volumes");
      }
      String other = owners.putIfAbsent(volume, service.name());
      if (other != null) {
        violations.add(service.name() + ": shares log volume " + volume + " with " + other
            + "; expected one per service (the variants run under different UIDs)");
      }
    }
    assertThat(violations).as("log volumes").isEmpty();
  }

  @Test
  void every_application_service_waits_for_its_dependencies_with_the_right_condition() {
    List<String> violations = new ArrayList<>();
    for (Service service : applicationServices()) {
      Map<String, String> deps = service.dependsOn();
      Map<String, String> env = service.environment();
      if (env.containsKey("ATTUNE_DATABASE_URL")) {
        expectDependency(violations, service, deps, "postgres", "service_healthy");
      }
      if (env.containsKey("ATTUNE_MQ_URL")) {
        expectDependency(violations, service, deps, "rabbitmq", "service_healthy");
      }
      if (!service.name().equals("migrations")) {
        expectDependency(violations, service, deps, "migrations", "service_completed_successfully");
      }
    }
    // whatever depends on what: on a server it must be healthy, on a one-shot it must have succeeded
    for (Service service : compose.services()) {
      service.dependsOn().forEach((dependency, condition) -> {
        if (!compose.serviceNames().contains(dependency)) {
          violations.add(service.name() + ": depends on " + dependency + ", which is not a service");
          return;
        }
        Service other = compose.service(dependency);
        String expected = isOneShot(other) ? "service_completed_successfully" : "service_healthy";
        if (!condition.equals(expected)) {
          violations.add(service.name() + ": waits for " + dependency + " with " + quoted(condition)
              + ", expected condition: " + expected);
        }
        if (expected.equals("service_healthy") && !other.node().path("healthcheck").has("test")) {
          violations.add(dependency + ": " + service.name()
              + " waits for it to be healthy, but it has no healthcheck test");
        }
      });
    }
    assertThat(violations).as("start-up order").isEmpty();
  }

  @Test
  void one_shot_services_migrate_and_create_the_default_user_through_the_image() {
    List<String> violations = new ArrayList<>();
    Service migrations = compose.service("migrations");
    if (!migrations.command().equals(List.of("migrate"))) {
      violations.add("migrations: command is " + migrations.command() + ", expected [\"migrate\"]");
    }
    Service initUser = compose.service("init-user");
    if (!initUser.entrypoint().equals(List.of(INIT_USER_ENTRY))) {
      violations.add("init-user: entrypoint is " + initUser.entrypoint() + ", expected [\"" + INIT_USER_ENTRY + "\"]");
    }
    expectDependency(violations, initUser, initUser.dependsOn(), "migrations", "service_completed_successfully");
    Service scheduler = compose.service("scheduler");
    if (!scheduler.command().equals(List.of("scheduler"))) {
      violations.add("scheduler: command is " + scheduler.command() + ", expected [\"scheduler\"]");
    }
    for (Service service : List.of(migrations, initUser)) {
      if (!service.node().path("restart").asText("no").equals("no")) {
        violations.add(service.name() + ": restart is " + service.node().path("restart").asText()
            + ", expected \"no\": it runs once");
      }
    }
    // the image's health check asks for a registered worker: services that are not workers turn it off
    for (Service service : applicationServices()) {
      if (!isWorker(service) && !service.healthcheckDisabled()) {
        violations.add(service.name() + ": keeps the image's worker health check, which would call it unhealthy;"
            + " expected healthcheck: {disable: true}");
      }
    }
    boolean entryInstalled = dockerfile.allCopies().stream().anyMatch(c -> c.from().isEmpty()
        && c.sources().equals(List.of("docker/init-user.sh")) && c.destination().equals(INIT_USER_ENTRY)
        && c.chmod().filter(mode -> mode.endsWith("755")).isPresent());
    if (!entryInstalled) {
      violations.add(DOCKERFILE + ": no COPY --chmod=0755 docker/init-user.sh " + INIT_USER_ENTRY);
    }
    String script = RepositoryFiles.read(root.resolve("docker/init-user.sh"));
    if (!script.startsWith("#!/bin/sh") || !Pattern.compile("(?m)^exec .*-jar .*init-user \"\\$@\"").matcher(
        script.replace("\\\n", " ")).find()) {
      violations.add("docker/init-user.sh: expected a #!/bin/sh script that ends in"
          + " exec java -jar ... init-user \"$@\"");
    }
    assertThat(violations).as("one-shot services").isEmpty();
  }

  @Test
  void application_services_connect_to_the_compose_postgres_and_rabbitmq_and_workers_say_they_are_containers() {
    List<String> violations = new ArrayList<>();
    Map<String, String> firstSeen = new LinkedHashMap<>();
    for (Service service : applicationServices()) {
      Map<String, String> env = service.environment();
      String database = ComposeFile.withDefaults(env.getOrDefault("ATTUNE_DATABASE_URL", ""));
      if (!database.startsWith("jdbc:postgresql://postgres:5432/")) {
        violations.add(service.name() + ": ATTUNE_DATABASE_URL is " + quoted(database)
            + ", expected jdbc:postgresql://postgres:5432/<db>");
      }
      // credentials apart from the URL, so a password needs no percent-encoding (and the URL shows none)
      if (env.containsKey("ATTUNE_MQ_URL")
          && !ComposeFile.withDefaults(env.get("ATTUNE_MQ_URL")).matches("amqp://rabbitmq:5672/.*")) {
        violations.add(service.name() + ": ATTUNE_MQ_URL is " + quoted(env.get("ATTUNE_MQ_URL"))
            + ", expected amqp://rabbitmq:5672/vhost with the credentials in ATTUNE_MQ_USER and ATTUNE_MQ_PASSWORD");
      }
      if (env.containsKey("ATTUNE_MQ_URL")) {
        expectEnv(violations, service.name(), env, "ATTUNE_MQ_USER", "${RABBITMQ_USER:-attune}");
        expectEnv(violations, service.name(), env, "ATTUNE_MQ_PASSWORD", "${RABBITMQ_PASSWORD:-attune}");
      }
      if (isWorker(service) && !env.containsKey("ATTUNE_MQ_URL")) {
        violations.add(service.name() + ": sets no ATTUNE_MQ_URL; a worker consumes from RabbitMQ");
      }
      if (isWorker(service)) {
        expectEnv(violations, service.name(), env, "ATTUNE_WORKER_TYPE", "container");
      }
      // every service must say the same thing about where the database and the broker are; the long-running ones
      // (they use the broker) log in as the least-privilege application login, the one-shot ones as administrator
      boolean longRunning = env.containsKey("ATTUNE_MQ_URL");
      for (String key : List.of("ATTUNE_DATABASE_URL", "ATTUNE_DATABASE_USER", "ATTUNE_DATABASE_PASSWORD",
          "ATTUNE_MQ_URL", "ATTUNE_MQ_USER", "ATTUNE_MQ_PASSWORD")) {
        if (!env.containsKey(key)) {
          continue;
        }
        String group = key.startsWith("ATTUNE_DATABASE_USER") || key.startsWith("ATTUNE_DATABASE_PASSWORD")
            ? key + (longRunning ? " (application)" : " (administrator)") : key;
        String first = firstSeen.putIfAbsent(group, env.get(key));
        if (first != null && !first.equals(env.get(key))) {
          violations.add(service.name() + ": " + key + " is " + quoted(env.get(key)) + ", other services use "
              + quoted(first));
        }
      }
    }
    // the login that migrate creates is the one the long-running services use
    Map<String, String> migrations = compose.service("migrations").environment();
    expectEnv(violations, "migrations", migrations, "ATTUNE_APP_DATABASE_USER",
        firstSeen.get("ATTUNE_DATABASE_USER (application)"));
    expectEnv(violations, "migrations", migrations, "ATTUNE_APP_DATABASE_PASSWORD",
        firstSeen.get("ATTUNE_DATABASE_PASSWORD (application)"));
    assertThat(violations).as("connection settings").isEmpty();
  }

  @Test
  void every_long_running_service_has_cpu_and_memory_limits_and_reservations() {
    List<String> violations = new ArrayList<>();
    for (Service service : compose.services()) {
      if (isOneShot(service)) {
        continue;
      }
      var resources = service.node().path("deploy").path("resources");
      Map<String, Double> values = new HashMap<>();
      for (String kind : List.of("limits", "reservations")) {
        for (String what : List.of("cpus", "memory")) {
          String raw = resources.path(kind).path(what).asText("");
          if (raw.isEmpty()) {
            violations.add(service.name() + ": no deploy.resources." + kind + "." + what);
            continue;
          }
          try {
            values.put(kind + "." + what, what.equals("cpus") ? Double.parseDouble(raw) : bytes(raw));
          } catch (IllegalArgumentException e) {
            violations.add(service.name() + ": deploy.resources." + kind + "." + what + " is " + quoted(raw)
                + ", expected " + (what.equals("cpus") ? "a number such as \"0.5\"" : "a size such as 512M"));
          }
        }
      }
      for (String what : List.of("cpus", "memory")) {
        Double limit = values.get("limits." + what);
        Double reservation = values.get("reservations." + what);
        if (limit != null && reservation != null && reservation > limit) {
          violations.add(service.name() + ": reserves more " + what + " than its limit");
        }
      }
    }
    assertThat(violations).as("resource limits").isEmpty();
  }

  @Test
  void services_that_drain_on_shutdown_get_longer_to_stop_than_their_grace_period() {
    List<String> violations = new ArrayList<>();
    for (Service service : applicationServices()) {
      if (isOneShot(service)) {
        continue;
      }
      String graceText = service.environment().get("ATTUNE_SHUTDOWN_GRACE_SECONDS");
      int grace = graceText == null ? DEFAULT_SHUTDOWN_GRACE_SECONDS
          : Integer.parseInt(ComposeFile.withDefaults(graceText));
      String stop = service.node().path("stop_grace_period").asText("");
      if (stop.isEmpty()) {
        violations.add(service.name() + ": no stop_grace_period; docker's 10 s default would kill running actions"
            + " before the " + grace + " s shutdown grace ends");
      } else if (seconds(stop) <= grace) {
        violations.add(service.name() + ": stop_grace_period " + stop
            + " does not exceed ATTUNE_SHUTDOWN_GRACE_SECONDS " + grace
            + "; expected more, so the worker drains before SIGKILL");
      }
    }
    assertThat(violations).as("stop grace periods").isEmpty();
  }

  @Test
  void compose_builds_only_targets_the_dockerfile_has() {
    List<String> violations = new ArrayList<>();
    for (Service service : compose.services()) {
      if (service.buildDockerfile().isEmpty()) {
        continue;
      }
      if (!Files.isRegularFile(root.resolve(service.buildDockerfile().get()))) {
        violations.add(service.name() + ": build.dockerfile " + service.buildDockerfile().get() + " does not exist");
      }
      String context = service.node().path("build").path("context").asText("");
      if (!context.equals(".")) {
        violations.add(service.name() + ": build.context is " + quoted(context) + ", expected . (the repository root)");
      }
      if (service.buildTarget().isEmpty() || !dockerfile.hasStage(service.buildTarget().get())) {
        violations.add(service.name() + ": build.target " + quoted(service.buildTarget().orElse(null))
            + " is not a stage of " + DOCKERFILE + " " + dockerfile.stages().keySet());
      }
    }
    assertThat(violations).as("build targets").isEmpty();
  }

  // ---------------------------------------------------------------------------------------------------
  // credentials
  // ---------------------------------------------------------------------------------------------------

  @Test
  void deployment_files_carry_no_credentials_other_than_the_documented_defaults() {
    List<String> violations = new ArrayList<>();
    violations.addAll(CredentialScan.findings("docker-compose.yaml", compose.text(), true));
    for (String file : List.of(DOCKERFILE, "docker/init-user.sh", "Makefile", ".dockerignore",
        "docker/README.worker.md", "docker/INIT-USER-README.md", "docs/worker-containerization.md",
        "docs/worker-containers-quickstart.md", "docs/QUICKREF-containerized-workers.md")) {
      Path path = root.resolve(file);
      if (Files.exists(path)) {
        violations.addAll(CredentialScan.findings(file, RepositoryFiles.read(path), false));
      }
    }
    // an image keeps its ENV and ARG values for anyone who pulls it: no secret belongs there, default or not
    for (DockerfileModel.Stage stage : dockerfile.stages().values()) {
      for (Instruction instruction : stage.instructions()) {
        if (instruction.keyword().equals("ENV") || instruction.keyword().equals("ARG")) {
          for (String key : DockerfileModel.keyValues(instruction.arguments()).keySet()) {
            if (CredentialScan.SECRET_NAME.matcher(key).matches()) {
              violations.add(DOCKERFILE + ":" + instruction.line() + ": " + instruction.keyword() + " " + key
                  + " puts a secret into the image; expected it to come from the container's environment");
            }
          }
        }
      }
    }
    assertThat(violations).as("credentials in deployment files").isEmpty();
  }

  @Test
  void credential_scan_reports_each_kind_of_planted_credential() {
    String text = compose.text()
        .replace("POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-attune}", "POSTGRES_PASSWORD: hunter2")
        .replace("amqp://rabbitmq:5672/", "amqp://attune:s3cret-pw@rabbitmq:5672/")
        .replace("ATTUNE_MQ_PASSWORD: ${RABBITMQ_PASSWORD:-attune}", "ATTUNE_MQ_PASSWORD: guessme")
        .replace("${ATTUNE_INIT_USER_PASSWORD:-TestPass123!}", "${ATTUNE_INIT_USER_PASSWORD:-Winter2024!}")
        .replace("RABBITMQ_DEFAULT_PASS: ${RABBITMQ_PASSWORD:-attune}", "RABBITMQ_DEFAULT_PASS: attune");
    assertThat(text).as("the planted mistakes").contains("hunter2", "s3cret-pw", "Winter2024!", "DEFAULT_PASS: attune",
        "guessme");

    List<String> findings = CredentialScan.findings("docker-compose.yaml", text, true);
    List<String> makefile = CredentialScan.findings("Makefile", "export ATTUNE_DATABASE_PASSWORD=letmein\n", false);
    List<String> config = CredentialScan.findings("attune.yaml",
        "# no credential: prose is not a key\ndatabase:\n  password: hunter2\n", false);

    assertThat(findings).anySatisfy(f -> assertThat(f).contains("POSTGRES_PASSWORD is given 'h******'"))
        .anySatisfy(f -> assertThat(f).contains("amqp URL carries the password 's********'"))
        .anySatisfy(f -> assertThat(f).contains("ATTUNE_INIT_USER_PASSWORD is given 'W**********'"))
        .anySatisfy(f -> assertThat(f).contains("RABBITMQ_DEFAULT_PASS is written as a literal"))
        .anySatisfy(f -> assertThat(f).contains("ATTUNE_MQ_PASSWORD is given 'g******'"))
        .noneSatisfy(f -> assertThat(f).containsAnyOf("hunter2", "s3cret-pw", "Winter2024!", "guessme"));
    assertThat(makefile).singleElement().asString().contains("Makefile:1: ATTUNE_DATABASE_PASSWORD is given 'l******'");
    assertThat(config).singleElement().asString().contains("attune.yaml:3: password is given 'h******'");
  }

  // ---------------------------------------------------------------------------------------------------
  // the image build: modules, context
  // ---------------------------------------------------------------------------------------------------

  @Test
  void builder_copies_every_module_pom_and_the_sources_the_jar_is_built_from() throws Exception {
    List<String> violations = new ArrayList<>();
    List<Copy> builderCopies = dockerfile.config("builder").copies();
    Set<String> copied = new TreeSet<>();
    builderCopies.stream().filter(c -> c.from().isEmpty()).forEach(c -> copied.addAll(c.sources()));

    for (String module : childTexts(pom(root.resolve("pom.xml")), "modules", "module")) {
      if (!copied.contains(module + "/pom.xml")) {
        violations.add("builder: does not COPY " + module + "/pom.xml; Maven reads every module the parent lists");
      }
    }
    List<String> needed = new ArrayList<>(List.of("bootstrap"));
    needed.addAll(reactorDependencies(root.resolve("bootstrap/pom.xml")));
    for (int k = 1; k < needed.size(); k++) {
      for (String transitive : reactorDependencies(root.resolve(needed.get(k)).resolve("pom.xml"))) {
        if (!needed.contains(transitive)) {
          needed.add(transitive);
        }
      }
    }
    for (String module : needed) {
      if (!copied.contains(module + "/src")) {
        violations.add("builder: does not COPY " + module + "/src; -pl bootstrap -am builds it (bootstrap depends on "
            + "it, maybe in test scope: -am follows those too, and -DskipTests still compiles the tests)");
      }
    }
    assertThat(violations).as("modules copied into the builder (%s)", needed).isEmpty();
  }

  @Test
  void dockerignore_lets_in_every_path_the_dockerfile_copies_from_the_build_context() {
    Path ignoreFile = root.resolve(".dockerignore");
    assertThat(ignoreFile).as("the build context filter").exists();
    List<String> rules = RepositoryFiles.read(ignoreFile).lines()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();

    List<String> violations = new ArrayList<>();
    for (Copy copy : dockerfile.allCopies()) {
      if (copy.from().isPresent()) {
        continue;
      }
      for (String source : copy.sources()) {
        if (excludedByDockerignore(rules, source)) {
          violations.add(DOCKERFILE + ":" + copy.line() + ": COPY " + source
              + " but .dockerignore leaves it out of the build context");
        }
        if (!Files.exists(root.resolve(source))) {
          violations.add(DOCKERFILE + ":" + copy.line() + ": COPY " + source + " but the repository has no " + source);
        }
      }
    }
    assertThat(excludedByDockerignore(rules, "bootstrap/target/attune-worker.jar"))
        .as("local build output stays out of the context").isTrue();
    assertThat(excludedByDockerignore(rules, ".env")).as("an .env file stays out of the context").isTrue();
    assertThat(violations).as("build context").isEmpty();
  }

  // ---------------------------------------------------------------------------------------------------
  // helpers
  // ---------------------------------------------------------------------------------------------------

  /** Services built from our Dockerfile. */
  private List<Service> applicationServices() {
    return compose.services().stream()
        .filter(s -> s.buildDockerfile().equals(Optional.of(DOCKERFILE))
            || s.image().orElse("").startsWith("attune-worker:"))
        .toList();
  }

  /** Application services that run the image's default command, {@code run}. */
  private List<Service> workerServices() {
    return applicationServices().stream().filter(DeploymentContractTest::isWorker).toList();
  }

  private static boolean isWorker(Service service) {
    return service.entrypoint().isEmpty() && (service.command().isEmpty() || service.command().equals(List.of("run")));
  }

  /** A service that runs to completion rather than serving. */
  private static boolean isOneShot(Service service) {
    return service.node().path("restart").asText("").equals("no");
  }

  private static void expectDependency(List<String> violations, Service service, Map<String, String> deps,
      String dependency, String condition) {
    if (!deps.containsKey(dependency)) {
      violations.add(service.name() + ": does not wait for " + dependency + "; expected depends_on: {" + dependency
          + ": {condition: " + condition + "}}");
    } else if (!deps.get(dependency).equals(condition)) {
      violations.add(service.name() + ": waits for " + dependency + " with " + quoted(deps.get(dependency))
          + ", expected condition: " + condition);
    }
  }

  private static void expectEnv(List<String> violations, String owner, Map<String, String> env, String key,
      String expected) {
    String actual = env.get(key);
    if (!expected.equals(actual)) {
      violations.add(owner + ": " + key + " is " + quoted(actual) + ", expected " + expected);
    }
  }

  private static boolean runsJar(List<String> command) {
    int jar = command.indexOf("-jar");
    return jar >= 0 && jar + 1 < command.size() && command.get(jar + 1).equals(JAR)
        && command.stream().anyMatch(w -> w.equals("java") || w.endsWith("/java"));
  }

  private static List<String> runtimeList(String value) {
    return Arrays.stream(value.split(","))
        .map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
  }

  /** Compose sizes: 512M, 1G, 1536m, 1gb, 1048576. */
  private static double bytes(String size) {
    Matcher m = Pattern.compile("(?i)(\\d+(?:\\.\\d+)?)\\s*([kmg]?)b?").matcher(size.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: " + size);
    }
    int power = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> 1;
      case "m" -> 2;
      case "g" -> 3;
      default -> 0;
    };
    return Double.parseDouble(m.group(1)) * Math.pow(1024, power);
  }

  /** Compose durations: 45s, 1m30s, 2m, 1h. */
  private static double seconds(String duration) {
    Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)").matcher(duration);
    double total = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        throw new IllegalArgumentException("not a duration: " + duration);
      }
      double value = Double.parseDouble(m.group(1));
      total += switch (m.group(2)) {
        case "h" -> value * 3600;
        case "m" -> value * 60;
        case "ms" -> value / 1000;
        default -> value;
      };
      end = m.end();
    }
    if (end != duration.length() || end == 0) {
      throw new IllegalArgumentException("not a duration: " + duration);
    }
    return total;
  }

  /**
   * Docker's rule: the last pattern that matches the path or one of its parent folders decides; a leading
   * {@code !} lets the path back in. {@code **} spans any number of folders, including none.
   */
  static boolean excludedByDockerignore(List<String> rules, String path) {
    List<Path> candidates = new ArrayList<>();
    for (Path p = Path.of(path); p != null; p = p.getParent()) {
      candidates.add(p);
    }
    boolean excluded = false;
    for (String rule : rules) {
      boolean negated = rule.startsWith("!");
      String pattern = (negated ? rule.substring(1) : rule).replaceFirst("^/", "");
      List<PathMatcher> matchers = new ArrayList<>();
      matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
      if (pattern.startsWith("**/")) {
        matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)));
      }
      boolean matches = candidates.stream().anyMatch(c -> matchers.stream().anyMatch(m -> m.matches(c)));
      if (matches) {
        excluded = !negated;
      }
    }
    return excluded;
  }

  private static Document pom(Path path) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    try {
      return factory.newDocumentBuilder().parse(path.toFile());
    } catch (IOException e) {
      throw new IOException("cannot read " + path, e);
    }
  }

  /** The text of each {@code <child>} under the project's {@code <parent>} element. */
  private static List<String> childTexts(Document pom, String parent, String child) {
    List<String> result = new ArrayList<>();
    NodeList parents = pom.getDocumentElement().getChildNodes();
    for (int i = 0; i < parents.getLength(); i++) {
      if (parents.item(i) instanceof Element e && e.getTagName().equals(parent)) {
        NodeList children = e.getElementsByTagName(child);
        for (int j = 0; j < children.getLength(); j++) {
          result.add(children.item(j).getTextContent().strip());
        }
      }
    }
    return result;
  }

  /** Modules of this repository (groupId io.attune) a module depends on, in any scope: {@code -am} builds them all. */
  private List<String> reactorDependencies(Path pomFile) throws Exception {
    List<String> result = new ArrayList<>();
    NodeList top = pom(pomFile).getDocumentElement().getChildNodes();
    for (int i = 0; i < top.getLength(); i++) {
      if (top.item(i) instanceof Element deps && deps.getTagName().equals("dependencies")) {
        NodeList list = deps.getElementsByTagName("dependency");
        for (int j = 0; j < list.getLength(); j++) {
          Element dependency = (Element) list.item(j);
          String group = text(dependency, "groupId");
          String artifact = text(dependency, "artifactId");
          if (group.equals("io.attune") && Files.isDirectory(root.resolve(artifact))) {
            result.add(artifact);
          }
        }
      }
    }
    return result;
  }

  private static String text(Element element, String tag) {
    NodeList nodes = element.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().strip();
  }

  private static String quoted(String value) {
    return value == null ? "(not set)" : "'" + value + "'";
  }

}
