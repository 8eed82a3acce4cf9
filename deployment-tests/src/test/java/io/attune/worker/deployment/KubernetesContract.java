package io.attune.worker.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.attune.worker.deployment.KubernetesManifests.Manifest;
import java.math.BigDecimal;
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

/**
 * What must hold in the Kubernetes base {@code deploy/kubernetes}, checked on the manifests as written and on
 * {@code docker/Dockerfile.worker}, the images they run. Each rule returns every violation it finds, naming the object
 * and what was expected, so one run shows all that is wrong; a rule that finds nothing returns an empty list.
 *
 * <p>The rules take the manifests as a value, so a test can hand them a copy with a planted mistake and see them
 * bite ({@code KubernetesManifestsContractTest}).
 */
final class KubernetesContract {

  /** The gauge the scheduler exports and the ScaledObjects scale on. */
  static final String WAITING_METRIC = "attune_executions_waiting";
  /** ConfigLoader's default of ATTUNE_SHUTDOWN_GRACE_SECONDS. */
  static final int DEFAULT_SHUTDOWN_GRACE_SECONDS = 30;
  /**
   * What WorkerRole.drain takes after the grace period: it ends what still runs, hands it on and waits up to 15 s for
   * those executions to end, then marks the worker inactive.
   */
  static final int HAND_ON_SECONDS = 15;
  /** ConfigLoader's default of ATTUNE_WORKER_MAX_CONCURRENT_EXECUTIONS. */
  static final int DEFAULT_MAX_CONCURRENT_EXECUTIONS = 10;
  static final String HEALTHZ = "/healthz";
  static final String READYZ = "/readyz";

  /** A password, secret, token or key (CredentialScan's names), or a user name or login. */
  static final Pattern CREDENTIAL_NAME = Pattern.compile(
      CredentialScan.SECRET_NAME.pattern() + "|[A-Z0-9_]*_(?:USER|USERNAME|LOGIN)");
  /** A URL that carries a user (and maybe a password) before its host. */
  private static final Pattern URL_WITH_USER = Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s/@\"']+@");
  private static final Pattern QUERY_RUNTIME =
      Pattern.compile(Pattern.quote(WAITING_METRIC) + "\\{runtime=\"([a-z0-9][a-z0-9._-]*)\"}");
  /** attune-worker:VARIANT, from any registry: the Makefile's tags of the targets worker-VARIANT. */
  private static final Pattern ATTUNE_IMAGE = Pattern.compile("(?:.*/)?attune-worker:([a-z0-9-]+)");

  private static final Set<String> SCALED_OBJECT_SPEC_KEYS = Set.of("scaleTargetRef", "pollingInterval",
      "cooldownPeriod", "initialCooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount", "fallback",
      "advanced", "triggers");
  private static final Set<String> TRIGGER_KEYS =
      Set.of("type", "name", "metadata", "authenticationRef", "metricType", "useCachedMetrics");
  private static final Set<String> PROMETHEUS_METADATA_KEYS = Set.of("serverAddress", "query", "threshold",
      "activationThreshold", "namespace", "customHeaders", "ignoreNullValues", "queryParameters", "unsafeSsl",
      "timeout", "authModes");

  private final KubernetesManifests manifests;
  private final DockerfileModel dockerfile;
  private final String readme;

  /**
   * @param readme the text of the base's README.md, where every Secret the manifests refer to must be documented
   */
  KubernetesContract(KubernetesManifests manifests, DockerfileModel dockerfile, String readme) {
    this.manifests = manifests;
    this.dockerfile = dockerfile;
    this.readme = readme;
  }

  /** One container of a pod template, with the object it belongs to. */
  record Container(Manifest owner, JsonNode pod, JsonNode node) {
    String name() {
      return node.path("name").asText("?");
    }

    String image() {
      return node.path("image").asText("");
    }

    List<String> command() {
      return strings(node.path("command"));
    }

    List<String> args() {
      return strings(node.path("args"));
    }

    @Override
    public String toString() {
      return owner.kind() + " " + owner.name() + " container " + name();
    }
  }

  /** A variable as the container sees it: its value when written out, and where it comes from. */
  record EnvVar(String name, Optional<String> value, String source) {
    boolean fromSecret() {
      return source.startsWith("secretKeyRef");
    }
  }

  /** Every rule, for a caller that wants all violations at once. */
  List<String> violations() {
    List<String> all = new ArrayList<>();
    all.addAll(kustomizationListsEveryFile());
    all.addAll(workerVariantsMatchTheirImages());
    all.addAll(scaledObjectsScaleEachVariantOnARuntimeItOffers());
    all.addAll(probesPointAtTheHealthEndpointsOnTheHttpPort());
    all.addAll(noCredentialsInline());
    all.addAll(podsRunNonRootOnAReadOnlyRoot());
    all.addAll(writablePathsAreVolumes());
    all.addAll(resourcesAreSet());
    all.addAll(workersGetLongerToStopThanTheirDrain());
    all.addAll(jobsRunTheOneShotCommands());
    return all;
  }

  // ---------------------------------------------------------------------------------------------------
  // the rules
  // ---------------------------------------------------------------------------------------------------

  /** The kustomization lists every YAML file of the folder, and each file it lists exists. */
  List<String> kustomizationListsEveryFile() {
    List<String> violations = new ArrayList<>();
    List<String> listed = manifests.listedFiles();
    for (String file : listed) {
      if (!manifests.texts().containsKey(file)) {
        violations.add("kustomization.yaml lists " + file + ", which is not a file in " + manifests.folder());
      }
    }
    for (String file : manifests.yamlFilesInFolder()) {
      if (!listed.contains(file)) {
        violations.add(file + " is in " + manifests.folder() + " but not among the resources of kustomization.yaml:"
            + " kubectl apply -k would leave it out");
      }
    }
    if (manifests.kustomization().path("namespace").asText("").isEmpty()) {
      violations.add("kustomization.yaml sets no namespace; expected every object in one namespace (attune)");
    }
    return violations;
  }

  /**
   * One Deployment per worker target of the Dockerfile; each runs {@code run} in its image, advertises exactly the
   * runtimes the image carries, gives each replica its own worker name and leaves its replica count to KEDA.
   */
  List<String> workerVariantsMatchTheirImages() {
    List<String> violations = new ArrayList<>();
    Map<String, String> deploymentByTarget = new TreeMap<>();
    for (Manifest deployment : workerDeployments()) {
      Container worker = containers(deployment).get(0);
      Optional<String> target = target(worker);
      if (target.isEmpty()) {
        violations.add(worker + ": image " + quoted(worker.image()) + " is not attune-worker:<variant> of a target"
            + " worker-<variant> of docker/Dockerfile.worker " + workerTargets());
        continue;
      }
      String other = deploymentByTarget.put(target.get(), deployment.name());
      if (other != null) {
        violations.add(deployment + ": runs " + target.get() + " like Deployment " + other
            + "; expected one Deployment per variant, each scaled on its own");
      }
      List<String> imageRuntimes = runtimeList(dockerfile.config(target.get()).env().get("ATTUNE_WORKER_RUNTIMES"));
      List<String> runtimes = runtimes(worker);
      if (imageRuntimes.isEmpty() || !new TreeSet<>(runtimes).equals(new TreeSet<>(imageRuntimes))) {
        violations.add(worker + ": advertises runtimes " + runtimes + " but its image target " + target.get()
            + " carries " + imageRuntimes + ": a worker must advertise exactly the runtimes its image carries");
      }
      EnvVar name = env(worker).get("ATTUNE_WORKER_NAME");
      if (name != null && !name.source().equals("fieldRef metadata.name")) {
        violations.add(worker + ": ATTUNE_WORKER_NAME comes from " + name.source() + "; expected the pod's name"
            + " (fieldRef metadata.name) or none, so that every replica registers under a name of its own");
      }
      if (deployment.node().path("spec").has("replicas")) {
        violations.add(deployment + ": sets spec.replicas; expected none, since its ScaledObject owns the replica"
            + " count and a re-apply would reset it");
      }
    }
    for (String target : workerTargets()) {
      if (!deploymentByTarget.containsKey(target)) {
        violations.add("no worker Deployment runs the image target " + target + " (attune-worker:"
            + target.substring("worker-".length()) + ")");
      }
    }
    return violations;
  }

  /**
   * One ScaledObject per worker Deployment, scaling it through KEDA's Prometheus trigger on the waiting executions of
   * one runtime it offers; every runtime any variant offers drives exactly one of them; from zero only where any
   * waiting execution wakes it and the first replica has time to register.
   */
  List<String> scaledObjectsScaleEachVariantOnARuntimeItOffers() {
    List<String> violations = new ArrayList<>();
    Map<String, Manifest> workers = new LinkedHashMap<>();
    workerDeployments().forEach(d -> workers.put(d.name(), d));
    Map<String, String> scaledObjectByTarget = new HashMap<>();
    Map<String, String> scaledObjectByRuntime = new TreeMap<>();
    for (Manifest scaled : manifests.ofKind("ScaledObject")) {
      JsonNode spec = scaled.node().path("spec");
      if (!scaled.node().path("apiVersion").asText("").equals("keda.sh/v1alpha1")) {
        violations.add(scaled + ": apiVersion is " + quoted(scaled.node().path("apiVersion").asText(null))
            + ", expected keda.sh/v1alpha1");
      }
      unknownKeys(spec, SCALED_OBJECT_SPEC_KEYS).forEach(k -> violations.add(scaled + ": spec." + k
          + " is not a field of a KEDA ScaledObject " + new TreeSet<>(SCALED_OBJECT_SPEC_KEYS)));
      JsonNode ref = spec.path("scaleTargetRef");
      String targetName = ref.path("name").asText("");
      Manifest target = workers.get(targetName);
      if (!ref.path("kind").asText("Deployment").equals("Deployment") || target == null) {
        violations.add(scaled + ": scaleTargetRef is " + ref.path("kind").asText("Deployment") + " "
            + quoted(targetName) + ", expected one of the worker Deployments " + workers.keySet());
        continue;
      }
      String other = scaledObjectByTarget.put(targetName, scaled.name());
      if (other != null) {
        violations.add(scaled + ": scales " + targetName + " like ScaledObject " + other + "; expected one each");
      }
      Container worker = containers(target).get(0);
      int min = spec.path("minReplicaCount").asInt(0);
      int max = spec.path("maxReplicaCount").asInt(100);
      if (max < 1 || min > max) {
        violations.add(scaled + ": minReplicaCount " + min + ", maxReplicaCount " + max
            + "; expected 0 <= min <= max and max >= 1");
      }
      JsonNode triggers = spec.path("triggers");
      if (triggers.size() != 1 || !triggers.path(0).path("type").asText("").equals("prometheus")) {
        violations.add(scaled + ": expected exactly one trigger, of type prometheus; found " + triggers);
        continue;
      }
      JsonNode trigger = triggers.path(0);
      unknownKeys(trigger, TRIGGER_KEYS).forEach(k -> violations.add(scaled + ": trigger field " + k
          + " is not one of KEDA's " + new TreeSet<>(TRIGGER_KEYS)));
      JsonNode metadata = trigger.path("metadata");
      unknownKeys(metadata, PROMETHEUS_METADATA_KEYS).forEach(k -> violations.add(scaled + ": trigger metadata "
          + k + " is not a parameter of KEDA's prometheus trigger " + new TreeSet<>(PROMETHEUS_METADATA_KEYS)));
      for (String key : List.of("serverAddress", "query", "threshold", "activationThreshold")) {
        if (!metadata.path(key).isTextual() || metadata.path(key).asText().isBlank()) {
          violations.add(scaled + ": trigger metadata." + key + " is " + quoted(metadata.path(key).toString())
              + "; expected a string (KEDA reads trigger metadata as strings)");
        }
      }
      String query = metadata.path("query").asText("");
      Matcher runtime = QUERY_RUNTIME.matcher(query);
      if (!runtime.find()) {
        violations.add(scaled + ": query " + quoted(query) + " does not read " + WAITING_METRIC
            + "{runtime=\"<runtime>\"}");
        continue;
      }
      String scaledRuntime = runtime.group(1);
      if (runtime.find()) {
        violations.add(scaled + ": query " + quoted(query) + " reads more than one runtime; expected one");
      }
      if (!query.replace(" ", "").startsWith("max(")) {
        violations.add(scaled + ": query " + quoted(query) + " is not max(...): every scheduler exports the same"
            + " value, so a sum would count the waiting executions once per scheduler");
      }
      List<String> offered = runtimes(worker);
      if (!offered.contains(scaledRuntime)) {
        violations.add(scaled + ": scales " + targetName + " on waiting " + scaledRuntime + " executions, but it"
            + " offers " + offered + ": new replicas could not take that work");
      }
      String previous = scaledObjectByRuntime.put(scaledRuntime, scaled.name());
      if (previous != null) {
        violations.add(scaled + ": scales on runtime " + scaledRuntime + " like ScaledObject " + previous
            + "; expected each runtime to drive one variant, or both would grow for the same work");
      }
      Optional<BigDecimal> threshold = number(metadata.path("threshold").asText(""));
      int slots = maxConcurrentExecutions(worker);
      if (threshold.isEmpty() || threshold.get().signum() <= 0
          || threshold.get().compareTo(BigDecimal.valueOf(slots)) > 0) {
        violations.add(scaled + ": threshold " + quoted(metadata.path("threshold").asText(null))
            + "; expected a number above 0 and at most the " + slots + " executions one replica of " + targetName
            + " takes at once (ATTUNE_WORKER_MAX_CONCURRENT_EXECUTIONS)");
      }
      if (min == 0) {
        Optional<BigDecimal> activation = number(metadata.path("activationThreshold").asText("0"));
        if (activation.isEmpty() || activation.get().signum() != 0) {
          violations.add(scaled + ": scales " + targetName + " to zero with activationThreshold "
              + quoted(metadata.path("activationThreshold").asText(null)) + "; expected \"0\": executions below"
              + " it would wait with no worker until the scheduling timeout abandons them");
        }
        if (spec.path("initialCooldownPeriod").asInt(0) <= 0) {
          violations.add(scaled + ": scales " + targetName + " to zero without initialCooldownPeriod; expected a"
              + " few minutes, so the first replica registers: the scheduler fails an execution as unschedulable"
              + " when no worker, not even an inactive one, ever offered its runtime");
        }
      }
    }
    for (String deployment : workers.keySet()) {
      if (!scaledObjectByTarget.containsKey(deployment)) {
        violations.add("Deployment " + deployment + ": no ScaledObject scales it");
      }
    }
    Set<String> offered = new TreeSet<>();
    workers.values().forEach(d -> offered.addAll(runtimes(containers(d).get(0))));
    offered.removeAll(scaledObjectByRuntime.keySet());
    offered.forEach(r -> violations.add("no ScaledObject scales on waiting " + r + " executions, though a worker"
        + " variant offers " + r + ": they would wait for a replica nobody starts"));
    return violations;
  }

  /** The scheduler and the workers probe /healthz (liveness, start-up) and /readyz (readiness) on ATTUNE_HTTP_PORT. */
  List<String> probesPointAtTheHealthEndpointsOnTheHttpPort() {
    List<String> violations = new ArrayList<>();
    for (Manifest deployment : manifests.ofKind("Deployment")) {
      for (Container container : containers(deployment)) {
        EnvVar portVar = env(container).get("ATTUNE_HTTP_PORT");
        Optional<BigDecimal> port = Optional.ofNullable(portVar).flatMap(EnvVar::value)
            .flatMap(KubernetesContract::number);
        if (port.isEmpty()) {
          violations.add(container + ": ATTUNE_HTTP_PORT is " + (portVar == null ? "not set" : portVar.source() + " "
              + quoted(portVar.value().orElse(null))) + "; expected a port number, so /metrics, /healthz and"
              + " /readyz are served");
          continue;
        }
        int httpPort = port.get().intValue();
        Map<String, Integer> ports = new HashMap<>();
        for (JsonNode p : container.node().path("ports")) {
          ports.put(p.path("name").asText(""), p.path("containerPort").asInt());
        }
        if (!ports.containsValue(httpPort)) {
          violations.add(container + ": declares no containerPort " + httpPort + " (ATTUNE_HTTP_PORT)");
        }
        expectProbe(violations, container, "livenessProbe", HEALTHZ, httpPort, ports, true);
        expectProbe(violations, container, "readinessProbe", READYZ, httpPort, ports, true);
        expectProbe(violations, container, "startupProbe", HEALTHZ, httpPort, ports, false);
        String annotated = deployment.node().path("spec").path("template").path("metadata").path("annotations")
            .path("prometheus.io/port").asText("");
        if (!annotated.isEmpty() && !annotated.equals(String.valueOf(httpPort))) {
          violations.add(container + ": prometheus.io/port is " + annotated + ", expected " + httpPort);
        }
      }
    }
    return violations;
  }

  /**
   * No credential is written in the manifests: every variable named like a password, secret, token, user or login
   * comes from a Secret (secretKeyRef), no ConfigMap holds one, no URL carries a user, the base defines no Secret,
   * and every Secret referred to is documented in the README.
   */
  List<String> noCredentialsInline() {
    List<String> violations = new ArrayList<>();
    for (Manifest secret : manifests.ofKind("Secret")) {
      violations.add(secret + ": the base defines a Secret; expected only references to Secrets the operator"
          + " creates (README.md), so no credential is ever written in these files");
    }
    for (Manifest map : manifests.ofKind("ConfigMap")) {
      map.node().path("data").properties().forEach(e -> {
        if (CREDENTIAL_NAME.matcher(e.getKey()).matches()) {
          violations.add(map + ": holds " + e.getKey() + "; expected credentials in a Secret, not a ConfigMap");
        }
        if (URL_WITH_USER.matcher(e.getValue().asText("")).find()) {
          violations.add(map + ": " + e.getKey() + " is a URL with a user or password in it; expected them apart,"
              + " from a Secret (ATTUNE_MQ_USER, ATTUNE_MQ_PASSWORD, ...)");
        }
      });
    }
    Set<String> secretNames = new TreeSet<>();
    for (Container container : allContainers()) {
      for (JsonNode variable : container.node().path("env")) {
        String name = variable.path("name").asText("");
        JsonNode from = variable.path("valueFrom");
        if (from.has("secretKeyRef")) {
          secretNames.add(from.path("secretKeyRef").path("name").asText(""));
        } else if (CREDENTIAL_NAME.matcher(name).matches()) {
          String how = variable.has("value") ? "the literal value " + masked(variable.path("value").asText(""))
              : "valueFrom " + from.fieldNames().next();
          violations.add(container + ": " + name + " is given " + how + "; expected valueFrom.secretKeyRef");
        }
        if (URL_WITH_USER.matcher(variable.path("value").asText("")).find()) {
          violations.add(container + ": " + name + " is a URL with a user or password in it; expected them apart,"
              + " from a Secret");
        }
      }
    }
    for (String secret : secretNames) {
      if (!readme.contains("`" + secret + "`")) {
        violations.add("Secret " + secret + " is referred to but not documented in deploy/kubernetes/README.md"
            + " (expected `" + secret + "` there, with its keys and how to create it)");
      }
    }
    manifests.texts().forEach((file, text) -> violations.addAll(CredentialScan.findings(file, text, false)));
    return violations;
  }

  /**
   * Every pod runs as the non-root user of its image, without a service account token, with the runtime's seccomp
   * profile; every container without privilege escalation, without capabilities, on a read-only root filesystem.
   */
  List<String> podsRunNonRootOnAReadOnlyRoot() {
    List<String> violations = new ArrayList<>();
    for (Manifest owner : podOwners()) {
      JsonNode pod = podSpec(owner);
      if (pod.path("automountServiceAccountToken").asBoolean(true)) {
        violations.add(owner + ": automountServiceAccountToken is not false; expected false: nothing in the pod"
            + " talks to the Kubernetes API, so it gets no token to lose");
      }
      JsonNode podSecurity = pod.path("securityContext");
      for (Container container : containers(owner)) {
        JsonNode security = container.node().path("securityContext");
        if (!setting(security, podSecurity, "runAsNonRoot").asBoolean(false)) {
          violations.add(container + ": runAsNonRoot is not true");
        }
        int uid = setting(security, podSecurity, "runAsUser").asInt(0);
        Optional<Integer> imageUid = target(container).flatMap(t -> dockerfile.config(t).createdUid("attune"));
        if (uid == 0) {
          violations.add(container + ": runAsUser is " + setting(security, podSecurity, "runAsUser")
              + "; expected a non-zero UID" + imageUid.map(u -> " (" + u + ", attune in its image)").orElse(""));
        } else if (imageUid.isPresent() && uid != imageUid.get()) {
          violations.add(container + ": runAsUser is " + uid + ", but its image " + container.image()
              + " creates attune with UID " + imageUid.get() + "; expected that UID, which owns what it may write");
        }
        if (!setting(security, podSecurity, "seccompProfile").path("type").asText("").equals("RuntimeDefault")) {
          violations.add(container + ": seccompProfile.type is not RuntimeDefault");
        }
        if (!security.path("allowPrivilegeEscalation").isBoolean()
            || security.path("allowPrivilegeEscalation").asBoolean()) {
          violations.add(container + ": allowPrivilegeEscalation is not false");
        }
        if (security.path("privileged").asBoolean(false)) {
          violations.add(container + ": privileged");
        }
        List<String> dropped = strings(security.path("capabilities").path("drop"));
        if (!dropped.contains("ALL") || security.path("capabilities").path("add").size() > 0) {
          violations.add(container + ": capabilities drop " + dropped + ", add "
              + security.path("capabilities").path("add") + "; expected drop [ALL] and nothing added");
        }
        if (!security.path("readOnlyRootFilesystem").asBoolean(false)) {
          violations.add(container + ": readOnlyRootFilesystem is not true");
        }
      }
    }
    return violations;
  }

  /** With a read-only root, what a process writes lives on an emptyDir: /tmp, the health file, the log folder. */
  List<String> writablePathsAreVolumes() {
    List<String> violations = new ArrayList<>();
    for (Manifest owner : podOwners()) {
      Set<String> emptyDirs = new TreeSet<>();
      for (JsonNode volume : podSpec(owner).path("volumes")) {
        if (volume.has("emptyDir")) {
          emptyDirs.add(volume.path("name").asText());
        }
      }
      for (Container container : containers(owner)) {
        List<String> writable = new ArrayList<>();
        for (JsonNode mount : container.node().path("volumeMounts")) {
          if (emptyDirs.contains(mount.path("name").asText()) && !mount.path("readOnly").asBoolean(false)) {
            writable.add(mount.path("mountPath").asText());
          }
        }
        Map<String, EnvVar> env = env(container);
        List<String> needed = new ArrayList<>(List.of("/tmp"));
        Optional.ofNullable(env.get("ATTUNE_HEALTH_FILE")).flatMap(EnvVar::value).filter(v -> !v.isBlank())
            .ifPresent(file -> needed.add(file.substring(0, Math.max(1, file.lastIndexOf('/')))));
        Optional.ofNullable(env.get("ATTUNE_LOG_DIR")).flatMap(EnvVar::value).filter(v -> !v.isBlank())
            .ifPresent(needed::add);
        for (String path : needed) {
          boolean covered = writable.stream().anyMatch(m -> path.equals(m) || path.startsWith(m + "/"));
          if (!covered) {
            violations.add(container + ": nothing writable is mounted at " + path + "; expected an emptyDir there,"
                + " since the root filesystem is read-only");
          }
        }
      }
    }
    return violations;
  }

  /** Every container requests and limits CPU and memory, with requests no larger than limits. */
  List<String> resourcesAreSet() {
    List<String> violations = new ArrayList<>();
    for (Container container : allContainers()) {
      JsonNode resources = container.node().path("resources");
      for (String resource : List.of("cpu", "memory")) {
        String request = resources.path("requests").path(resource).asText("");
        String limit = resources.path("limits").path(resource).asText("");
        if (request.isEmpty() || limit.isEmpty()) {
          violations.add(container + ": resources.requests." + resource + " " + quoted(request.isEmpty() ? null
              : request) + ", resources.limits." + resource + " " + quoted(limit.isEmpty() ? null : limit)
              + "; expected both");
        } else if (quantity(request).compareTo(quantity(limit)) > 0) {
          violations.add(container + ": requests " + resource + " " + request + " above its limit " + limit);
        }
      }
    }
    return violations;
  }

  /** A worker pod's terminationGracePeriodSeconds covers its drain: the shutdown grace plus the hand-on wait. */
  List<String> workersGetLongerToStopThanTheirDrain() {
    List<String> violations = new ArrayList<>();
    for (Manifest deployment : workerDeployments()) {
      Container worker = containers(deployment).get(0);
      EnvVar graceVar = env(worker).get("ATTUNE_SHUTDOWN_GRACE_SECONDS");
      int grace = graceVar == null ? DEFAULT_SHUTDOWN_GRACE_SECONDS
          : graceVar.value().flatMap(KubernetesContract::number).map(BigDecimal::intValue).orElse(-1);
      if (grace < 0) {
        violations.add(worker + ": ATTUNE_SHUTDOWN_GRACE_SECONDS is not a number written in the manifests");
        continue;
      }
      int termination = podSpec(deployment).path("terminationGracePeriodSeconds").asInt(30);
      if (termination < grace + HAND_ON_SECONDS) {
        violations.add(deployment + ": terminationGracePeriodSeconds " + termination + " is shorter than its drain:"
            + " ATTUNE_SHUTDOWN_GRACE_SECONDS " + grace + " + " + HAND_ON_SECONDS + " s to hand on what still runs;"
            + " expected at least " + (grace + HAND_ON_SECONDS) + ", or the kubelet kills running actions");
      }
    }
    return violations;
  }

  /** A Job runs {@code migrate}, another {@code init-user}, each to completion and retried on failure. */
  List<String> jobsRunTheOneShotCommands() {
    List<String> violations = new ArrayList<>();
    boolean migrate = false;
    boolean initUser = false;
    for (Manifest job : manifests.ofKind("Job")) {
      String restart = podSpec(job).path("restartPolicy").asText("");
      if (!restart.equals("OnFailure") && !restart.equals("Never")) {
        violations.add(job + ": restartPolicy " + quoted(restart) + ", expected OnFailure or Never");
      }
      for (Container container : containers(job)) {
        migrate |= container.command().isEmpty() && !container.args().isEmpty()
            && container.args().get(0).equals("migrate");
        initUser |= container.command().equals(List.of("/opt/attune/bin/init-user"));
      }
    }
    if (!migrate) {
      violations.add("no Job runs `migrate` (args [migrate, ...] with the image's entry point)");
    }
    if (!initUser) {
      violations.add("no Job runs the image's init-user entry (command [/opt/attune/bin/init-user])");
    }
    return violations;
  }

  // ---------------------------------------------------------------------------------------------------
  // reading the manifests
  // ---------------------------------------------------------------------------------------------------

  /** Deployments whose container runs the image's default command, {@code run}: the workers. */
  List<Manifest> workerDeployments() {
    return manifests.ofKind("Deployment").stream().filter(d -> {
      List<Container> containers = containers(d);
      if (containers.isEmpty()) {
        return false;
      }
      Container c = containers.get(0);
      return c.command().isEmpty() && (c.args().isEmpty() || c.args().equals(List.of("run")));
    }).toList();
  }

  private List<Manifest> podOwners() {
    List<Manifest> owners = new ArrayList<>(manifests.ofKind("Deployment"));
    owners.addAll(manifests.ofKind("Job"));
    return owners;
  }

  private static JsonNode podSpec(Manifest owner) {
    return owner.node().path("spec").path("template").path("spec");
  }

  List<Container> containers(Manifest owner) {
    JsonNode pod = podSpec(owner);
    List<Container> containers = new ArrayList<>();
    for (String list : List.of("initContainers", "containers")) {
      pod.path(list).forEach(c -> containers.add(new Container(owner, pod, c)));
    }
    return containers;
  }

  private List<Container> allContainers() {
    return podOwners().stream().flatMap(o -> containers(o).stream()).toList();
  }

  private List<String> workerTargets() {
    return dockerfile.stages().keySet().stream().filter(s -> s.startsWith("worker-")).sorted().toList();
  }

  /** The Dockerfile target a container's image was built from, when it is one of ours. */
  Optional<String> target(Container container) {
    Matcher m = ATTUNE_IMAGE.matcher(container.image());
    return m.matches() && dockerfile.hasStage("worker-" + m.group(1)) ? Optional.of("worker-" + m.group(1))
        : Optional.empty();
  }

  /**
   * The container's environment as Kubernetes builds it: the image's ENV, then the ConfigMaps of envFrom, then env;
   * a later source wins.
   */
  Map<String, EnvVar> env(Container container) {
    Map<String, EnvVar> env = new TreeMap<>();
    target(container).ifPresent(t -> dockerfile.config(t).env()
        .forEach((k, v) -> env.put(k, new EnvVar(k, Optional.of(v), "image " + t))));
    for (JsonNode from : container.node().path("envFrom")) {
      String map = from.path("configMapRef").path("name").asText("");
      manifests.find("ConfigMap", map).ifPresent(cm -> cm.node().path("data").properties()
          .forEach(e -> env.put(e.getKey(), new EnvVar(e.getKey(), Optional.of(e.getValue().asText()),
              "configMap " + map))));
    }
    for (JsonNode variable : container.node().path("env")) {
      String name = variable.path("name").asText();
      JsonNode from = variable.path("valueFrom");
      if (from.has("secretKeyRef")) {
        env.put(name, new EnvVar(name, Optional.empty(), "secretKeyRef " + from.path("secretKeyRef").path("name")
            .asText() + "/" + from.path("secretKeyRef").path("key").asText()));
      } else if (from.has("fieldRef")) {
        env.put(name, new EnvVar(name, Optional.empty(), "fieldRef " + from.path("fieldRef").path("fieldPath")
            .asText()));
      } else if (from.has("configMapKeyRef")) {
        String map = from.path("configMapKeyRef").path("name").asText();
        String key = from.path("configMapKeyRef").path("key").asText();
        Optional<String> value = manifests.find("ConfigMap", map)
            .map(cm -> cm.node().path("data").path(key)).filter(JsonNode::isValueNode).map(JsonNode::asText);
        env.put(name, new EnvVar(name, value, "configMapKeyRef " + map + "/" + key));
      } else if (!from.isMissingNode()) {
        env.put(name, new EnvVar(name, Optional.empty(), "valueFrom " + from.fieldNames().next()));
      } else {
        env.put(name, new EnvVar(name, Optional.of(variable.path("value").asText("")), "env"));
      }
    }
    return env;
  }

  /** The runtimes a worker container advertises: ATTUNE_WORKER_RUNTIMES as it sees it, canonical order kept. */
  List<String> runtimes(Container worker) {
    return runtimeList(Optional.ofNullable(env(worker).get("ATTUNE_WORKER_RUNTIMES")).flatMap(EnvVar::value)
        .orElse(null));
  }

  private int maxConcurrentExecutions(Container worker) {
    return Optional.ofNullable(env(worker).get("ATTUNE_WORKER_MAX_CONCURRENT_EXECUTIONS")).flatMap(EnvVar::value)
        .flatMap(KubernetesContract::number).map(BigDecimal::intValue).orElse(DEFAULT_MAX_CONCURRENT_EXECUTIONS);
  }

  private static void expectProbe(List<String> violations, Container container, String probe, String path,
      int httpPort, Map<String, Integer> ports, boolean required) {
    JsonNode node = container.node().path(probe);
    if (node.isMissingNode()) {
      if (required) {
        violations.add(container + ": no " + probe + "; expected httpGet " + path + " on port " + httpPort);
      }
      return;
    }
    JsonNode get = node.path("httpGet");
    if (!get.path("path").asText("").equals(path)) {
      violations.add(container + ": " + probe + " gets " + quoted(get.path("path").asText(null)) + ", expected "
          + path);
    }
    JsonNode port = get.path("port");
    Integer number = port.isInt() ? Integer.valueOf(port.asInt()) : ports.get(port.asText(""));
    if (number == null) {
      violations.add(container + ": " + probe + " asks port " + quoted(port.asText(null))
          + ", which names no containerPort; expected the port of ATTUNE_HTTP_PORT " + httpPort);
    } else if (number != httpPort) {
      violations.add(container + ": " + probe + " asks port " + quoted(port.asText(null)) + " (" + number
          + "); expected ATTUNE_HTTP_PORT " + httpPort + ", where /healthz and /readyz are served");
    }
  }

  private static JsonNode setting(JsonNode container, JsonNode pod, String key) {
    return container.has(key) ? container.path(key) : pod.path(key);
  }

  private static List<String> unknownKeys(JsonNode node, Set<String> known) {
    List<String> unknown = new ArrayList<>();
    node.fieldNames().forEachRemaining(k -> {
      if (!known.contains(k)) {
        unknown.add(k);
      }
    });
    return unknown;
  }

  private static List<String> runtimeList(String value) {
    if (value == null) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
        .toList();
  }

  private static List<String> strings(JsonNode node) {
    List<String> result = new ArrayList<>();
    node.forEach(n -> result.add(n.asText()));
    return result;
  }

  private static Optional<BigDecimal> number(String text) {
    try {
      return Optional.of(new BigDecimal(text.strip()));
    } catch (NumberFormatException notANumber) {
      return Optional.empty();
    }
  }

  /** A Kubernetes quantity (500m, 1, 1.5, 256Mi, 1Gi, 1G) as a number of base units. */
  static BigDecimal quantity(String text) {
    Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)([a-zA-Z]*)").matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a Kubernetes quantity: " + text);
    }
    BigDecimal value = new BigDecimal(m.group(1));
    BigDecimal factor = switch (m.group(2)) {
      case "" -> BigDecimal.ONE;
      case "m" -> new BigDecimal("0.001");
      case "k" -> BigDecimal.valueOf(1000);
      case "M" -> BigDecimal.valueOf(1000L * 1000);
      case "G" -> BigDecimal.valueOf(1000L * 1000 * 1000);
      case "Ki" -> BigDecimal.valueOf(1024);
      case "Mi" -> BigDecimal.valueOf(1024L * 1024);
      case "Gi" -> BigDecimal.valueOf(1024L * 1024 * 1024);
      default -> throw new IllegalArgumentException("not a Kubernetes quantity: " + text);
    };
    return value.multiply(factor);
  }

  private static String masked(String secret) {
    return secret.isEmpty() ? "''" : CredentialScan.masked(secret);
  }

  private static String quoted(String value) {
    return value == null ? "(not set)" : "'" + value + "'";
  }
}
