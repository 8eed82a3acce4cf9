package io.attune.worker.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.attune.worker.deployment.KubernetesManifests.Manifest;
import io.attune.worker.testsupport.repository.RepositoryFiles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What must hold in the Kubernetes base {@code deploy/kubernetes}: the worker Deployments agree with their images and
 * their ScaledObjects, the probes reach the health endpoints, no credential is written, every pod is non-root on a
 * read-only root, resources are set, the drain fits in the termination grace period, and the kustomization lists every
 * file. The rules live in {@link KubernetesContract}; the second half of this class plants one mistake at a time in a
 * copy of the base and shows the same rules catch it.
 */
class KubernetesManifestsContractTest {

  private static final Path ROOT = RepositoryFiles.root();
  private static final Path BASE = ROOT.resolve("deploy/kubernetes");
  /** The indentation of a container's env entries in the manifests. */
  private static final String ENV = " ".repeat(12);

  private final KubernetesContract contract = contractOf(BASE);

  private static KubernetesContract contractOf(Path folder) {
    return new KubernetesContract(KubernetesManifests.load(folder), DockerfileModel.load(),
        RepositoryFiles.read(folder.resolve("README.md")));
  }

  // ---------------------------------------------------------------------------------------------------
  // the base as it is
  // ---------------------------------------------------------------------------------------------------

  @Test
  void kustomization_lists_every_manifest_of_the_folder() {
    assertThat(contract.kustomizationListsEveryFile()).as("kustomization.yaml resources").isEmpty();
  }

  @Test
  void each_worker_deployment_runs_one_image_variant_and_advertises_exactly_its_runtimes() {
    assertThat(contract.workerVariantsMatchTheirImages()).as("worker Deployments against their images").isEmpty();
  }

  @Test
  void each_scaled_object_scales_its_variant_on_the_waiting_executions_of_a_runtime_it_offers() {
    assertThat(contract.scaledObjectsScaleEachVariantOnARuntimeItOffers()).as("KEDA ScaledObjects").isEmpty();
  }

  @Test
  void probes_point_at_healthz_and_readyz_on_the_http_port() {
    assertThat(contract.probesPointAtTheHealthEndpointsOnTheHttpPort()).as("probes").isEmpty();
  }

  @Test
  void no_credential_is_written_in_the_manifests() {
    assertThat(contract.noCredentialsInline()).as("credentials").isEmpty();
  }

  @Test
  void every_pod_runs_as_its_images_non_root_user_on_a_read_only_root() {
    assertThat(contract.podsRunNonRootOnAReadOnlyRoot()).as("pod security").isEmpty();
  }

  @Test
  void what_the_processes_write_is_on_an_empty_dir() {
    assertThat(contract.writablePathsAreVolumes()).as("writable paths").isEmpty();
  }

  @Test
  void every_container_requests_and_limits_cpu_and_memory() {
    assertThat(contract.resourcesAreSet()).as("resources").isEmpty();
  }

  @Test
  void worker_pods_get_longer_to_stop_than_their_drain_takes() {
    assertThat(contract.workersGetLongerToStopThanTheirDrain()).as("termination grace").isEmpty();
  }

  @Test
  void jobs_run_migrate_and_init_user() {
    assertThat(contract.jobsRunTheOneShotCommands()).as("Jobs").isEmpty();
  }

  @Test
  void the_documents_and_the_example_overlay_carry_no_credentials() {
    List<String> findings = new ArrayList<>();
    for (String file : List.of("deploy/kubernetes/README.md", "deploy/kubernetes-example/kustomization.yaml",
        "docs/autoscaling.md")) {
      findings.addAll(CredentialScan.findings(file, RepositoryFiles.read(ROOT.resolve(file)), false));
    }
    assertThat(findings).isEmpty();
  }

  /** The rules would pass on an empty folder: this pins what they were run on. */
  @Test
  void the_base_holds_the_scheduler_four_worker_variants_their_scaled_objects_and_two_jobs() {
    KubernetesManifests manifests = KubernetesManifests.load(BASE);
    assertThat(contract.workerDeployments()).extracting(Manifest::name).containsExactlyInAnyOrder(
        "attune-worker-base", "attune-worker-python", "attune-worker-node", "attune-worker-full");
    assertThat(manifests.ofKind("ScaledObject")).hasSize(4);
    assertThat(manifests.find("Deployment", "attune-scheduler")).isPresent();
    assertThat(manifests.ofKind("Job")).extracting(Manifest::name)
        .containsExactlyInAnyOrder("attune-migrate", "attune-init-user");
    assertThat(manifests.ofKind("ConfigMap")).extracting(Manifest::name)
        .containsExactlyInAnyOrder("attune-config", "attune-rabbitmq-config");
    // the variant that keeps a replica, and why the others may go to zero, is docs/autoscaling.md's business
    Map<String, Integer> minimum = new TreeMap<>();
    manifests.ofKind("ScaledObject").forEach(s -> minimum.put(s.name(), s.node().path("spec")
        .path("minReplicaCount").asInt(0)));
    assertThat(minimum).containsEntry("attune-worker-base", 1).containsEntry("attune-worker-python", 0)
        .containsEntry("attune-worker-node", 0).containsEntry("attune-worker-full", 0);
  }

  // ---------------------------------------------------------------------------------------------------
  // kustomize itself, where kubectl is installed
  // ---------------------------------------------------------------------------------------------------

  @Test
  void kustomize_renders_the_base_to_the_objects_read_here_all_in_one_namespace() throws Exception {
    List<JsonNode> rendered = kustomize(BASE);
    Set<String> renderedNames = new TreeSet<>();
    for (JsonNode object : rendered) {
      renderedNames.add(object.path("kind").asText() + "/" + object.path("metadata").path("name").asText());
      if (!object.path("kind").asText().equals("Namespace")) {
        assertThat(object.path("metadata").path("namespace").asText()).as("namespace of %s", object.path("kind"))
            .isEqualTo("attune");
      }
    }
    Set<String> read = new TreeSet<>();
    KubernetesManifests.load(BASE).all().forEach(m -> read.add(m.kind() + "/" + m.name()));
    assertThat(renderedNames).isEqualTo(read);
  }

  @Test
  void kustomize_renders_the_example_overlay_with_the_registry_and_prometheus_it_names() throws Exception {
    List<JsonNode> rendered = kustomize(ROOT.resolve("deploy/kubernetes-example"));
    List<String> images = new ArrayList<>();
    List<String> servers = new ArrayList<>();
    for (JsonNode object : rendered) {
      object.path("spec").path("template").path("spec").path("containers").forEach(c -> images.add(c.path("image")
          .asText()));
      object.path("spec").path("triggers").forEach(t -> servers.add(t.path("metadata").path("serverAddress")
          .asText()));
    }
    assertThat(images).isNotEmpty().allMatch(i -> i.startsWith("registry.example.com/attune/attune-worker:"));
    assertThat(servers).hasSize(4).containsOnly("http://prometheus-k8s.monitoring.svc:9090");
  }

  private static List<JsonNode> kustomize(Path folder) throws IOException, InterruptedException {
    Path kubectl = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(dir -> Path.of(dir, "kubectl")).filter(Files::isExecutable).findFirst().orElse(null);
    assumeTrue(kubectl != null, "kubectl is not on the PATH: the kustomization is checked as plain YAML only");
    Process process = new ProcessBuilder(kubectl.toString(), "kustomize", folder.toString())
        .redirectErrorStream(false).start();
    byte[] out = process.getInputStream().readAllBytes();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl kustomize ended").isTrue();
    assertThat(process.exitValue()).as("kubectl kustomize %s: %s", folder, err).isZero();
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> documents = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
        .readValues(out)) {
      while (documents.hasNext()) {
        objects.add(documents.next());
      }
    }
    return objects;
  }

  // ---------------------------------------------------------------------------------------------------
  // the rules bite: one planted mistake at a time, in a copy of the base
  // ---------------------------------------------------------------------------------------------------

  record Mistake(String file, String from, String to, String expected,
      Function<KubernetesContract, List<String>> rule) {
    @Override
    public String toString() {
      return file + ": " + to.strip().lines().findFirst().orElse("");
    }
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        new Mistake("worker-python.yaml",
            ENV + "- name: ATTUNE_DATABASE_PASSWORD\n" + ENV + "  valueFrom:\n"
                + ENV + "    secretKeyRef: {name: attune-db-app, key: password}\n",
            ENV + "- name: ATTUNE_DATABASE_PASSWORD\n" + ENV + "  value: hunter2\n",
            "ATTUNE_DATABASE_PASSWORD is given the literal value 'h******'",
            KubernetesContract::noCredentialsInline),
        new Mistake("config.yaml", "amqp://rabbitmq:5672/%2F", "amqp://attune:s3cret@rabbitmq:5672/%2F",
            "ATTUNE_MQ_URL is a URL with a user or password in it", KubernetesContract::noCredentialsInline),
        new Mistake("job-init-user.yaml", "secretKeyRef: {name: attune-init-user, key: login}",
            "configMapKeyRef: {name: attune-config, key: ATTUNE_LOG_FORMAT}",
            "ATTUNE_INIT_USER_LOGIN is given valueFrom configMapKeyRef", KubernetesContract::noCredentialsInline),
        new Mistake("keda-worker-python.yaml", "runtime=\"python\"", "runtime=\"ruby\"",
            "scales attune-worker-python on waiting ruby executions, but it offers [shell, python]",
            KubernetesContract::scaledObjectsScaleEachVariantOnARuntimeItOffers),
        new Mistake("keda-worker-node.yaml", "    name: attune-worker-node\n  pollingInterval",
            "    name: attune-worker-python\n  pollingInterval", "Deployment attune-worker-node: no ScaledObject",
            KubernetesContract::scaledObjectsScaleEachVariantOnARuntimeItOffers),
        new Mistake("keda-worker-full.yaml", "max(attune_executions_waiting", "sum(attune_executions_waiting",
            "is not max(...)", KubernetesContract::scaledObjectsScaleEachVariantOnARuntimeItOffers),
        new Mistake("keda-worker-node.yaml", "activationThreshold: \"0\"", "activationThreshold: \"5\"",
            "to zero with activationThreshold '5'",
            KubernetesContract::scaledObjectsScaleEachVariantOnARuntimeItOffers),
        new Mistake("keda-worker-python.yaml", "threshold: \"10\"\n", "threshold: \"50\"\n",
            "threshold '50'", KubernetesContract::scaledObjectsScaleEachVariantOnARuntimeItOffers),
        new Mistake("keda-worker-base.yaml", "  minReplicaCount:", "  minReplicas:",
            "spec.minReplicas is not a field of a KEDA ScaledObject",
            KubernetesContract::scaledObjectsScaleEachVariantOnARuntimeItOffers),
        new Mistake("worker-python.yaml", "value: shell,python\n", "value: shell,python,node\n",
            "advertises runtimes [shell, python, node] but its image target worker-python carries [shell, python]",
            KubernetesContract::workerVariantsMatchTheirImages),
        new Mistake("worker-node.yaml", "image: attune-worker:node", "image: attune-worker:full",
            "runs worker-full like Deployment", KubernetesContract::workerVariantsMatchTheirImages),
        new Mistake("worker-full.yaml", "spec:\n  selector:", "spec:\n  replicas: 3\n  selector:",
            "sets spec.replicas", KubernetesContract::workerVariantsMatchTheirImages),
        new Mistake("worker-node.yaml", "path: /readyz", "path: /ready",
            "readinessProbe gets '/ready', expected /readyz",
            KubernetesContract::probesPointAtTheHealthEndpointsOnTheHttpPort),
        new Mistake("scheduler.yaml", "httpGet: {path: /healthz, port: http}\n            periodSeconds: 10",
            "httpGet: {path: /healthz, port: 8080}\n            periodSeconds: 10",
            "livenessProbe asks port '8080' (8080); expected ATTUNE_HTTP_PORT 9464",
            KubernetesContract::probesPointAtTheHealthEndpointsOnTheHttpPort),
        new Mistake("worker-full.yaml", "runAsUser: 1001", "runAsUser: 0", "runAsUser is 0",
            KubernetesContract::podsRunNonRootOnAReadOnlyRoot),
        new Mistake("worker-python.yaml", "runAsUser: 1001", "runAsUser: 1000",
            "creates attune with UID 1001", KubernetesContract::podsRunNonRootOnAReadOnlyRoot),
        new Mistake("worker-base.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false",
            "readOnlyRootFilesystem is not true", KubernetesContract::podsRunNonRootOnAReadOnlyRoot),
        new Mistake("job-migrate.yaml", "drop: [\"ALL\"]", "drop: [\"NET_RAW\"]", "expected drop [ALL]",
            KubernetesContract::podsRunNonRootOnAReadOnlyRoot),
        new Mistake("config.yaml", "ATTUNE_LOG_DIR: \"\"", "ATTUNE_LOG_DIR: /var/log/attune",
            "nothing writable is mounted at /var/log/attune", KubernetesContract::writablePathsAreVolumes),
        new Mistake("scheduler.yaml", "            limits: {cpu: 500m, memory: 384Mi}\n", "",
            "resources.limits.cpu (not set)", KubernetesContract::resourcesAreSet),
        new Mistake("worker-python.yaml", "terminationGracePeriodSeconds: 330", "terminationGracePeriodSeconds: 300",
            "terminationGracePeriodSeconds 300 is shorter than its drain",
            KubernetesContract::workersGetLongerToStopThanTheirDrain),
        new Mistake("kustomization.yaml", "  - job-init-user.yaml\n", "",
            "job-init-user.yaml is in", KubernetesContract::kustomizationListsEveryFile))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void each_rule_reports_a_planted_mistake(Mistake mistake, @TempDir Path copy) throws IOException {
    copyBase(copy);
    Path file = copy.resolve(mistake.file());
    String text = RepositoryFiles.read(file);
    assertThat(text).as("%s holds the text the mistake replaces", mistake.file()).contains(mistake.from());
    Files.writeString(file, text.replace(mistake.from(), mistake.to()), StandardCharsets.UTF_8);

    KubernetesContract planted = contractOf(copy);

    assertThat(mistake.rule().apply(planted)).as("the rule's findings").anySatisfy(v -> assertThat(v)
        .contains(mistake.expected()));
    assertThat(planted.violations()).as("no finding shows a planted password").noneMatch(v -> v.contains("hunter2")
        || v.contains("s3cret"));
  }

  @Test
  void a_stray_manifest_and_an_inline_secret_object_are_both_reported(@TempDir Path copy) throws IOException {
    copyBase(copy);
    Files.writeString(copy.resolve("db-secret.yaml"), """
        apiVersion: v1
        kind: Secret
        metadata:
          name: attune-db-app
        stringData:
          username: attune_worker
          password: example
        """, StandardCharsets.UTF_8);
    KubernetesContract planted = contractOf(copy);
    assertThat(planted.kustomizationListsEveryFile()).anySatisfy(v -> assertThat(v)
        .contains("db-secret.yaml is in").contains("not among the resources"));

    Files.writeString(copy.resolve("kustomization.yaml"), RepositoryFiles.read(copy.resolve("kustomization.yaml"))
        + "  - db-secret.yaml\n", StandardCharsets.UTF_8);
    KubernetesContract listed = contractOf(copy);
    assertThat(listed.kustomizationListsEveryFile()).isEmpty();
    assertThat(listed.noCredentialsInline())
        .anySatisfy(v -> assertThat(v).contains("Secret attune-db-app (db-secret.yaml): the base defines a Secret"))
        .anySatisfy(v -> assertThat(v).contains("db-secret.yaml:7: password is given 'e******'"));
  }

  @Test
  void a_secret_referred_to_but_not_documented_is_reported(@TempDir Path copy) throws IOException {
    copyBase(copy);
    Path readme = copy.resolve("README.md");
    Files.writeString(readme, RepositoryFiles.read(readme).replace("`attune-mq`", "the broker's Secret"),
        StandardCharsets.UTF_8);
    assertThat(contractOf(copy).noCredentialsInline()).anySatisfy(v -> assertThat(v)
        .contains("Secret attune-mq is referred to but not documented"));
  }

  @Test
  void quantities_compare_across_units() {
    assertThat(KubernetesContract.quantity("500m")).isLessThan(KubernetesContract.quantity("1"));
    assertThat(KubernetesContract.quantity("1536Mi")).isEqualByComparingTo(KubernetesContract.quantity("1.5Gi"));
    assertThat(KubernetesContract.quantity("1G")).isLessThan(KubernetesContract.quantity("1Gi"));
  }

  private static void copyBase(Path target) throws IOException {
    try (Stream<Path> files = Files.list(BASE)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(file, target.resolve(file.getFileName()));
      }
    }
  }
}
