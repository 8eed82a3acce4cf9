package io.attune.worker.adapter.local;

import static io.attune.worker.testsupport.process.Scripts.executable;
import static io.attune.worker.testsupport.process.Scripts.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.adapter.local.packs.PackRuntime;
import io.attune.worker.adapter.local.packs.PacksDirectoryCatalog;
import io.attune.worker.adapter.local.probe.ProcessRuntimeProbe;
import io.attune.worker.adapter.local.runner.ActionUser;
import io.attune.worker.adapter.local.runner.ProcessActionRunner;
import io.attune.worker.adapter.local.runner.RunnerSettings;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.capability.Interpreter;
import io.attune.worker.core.model.capability.ProbeReport;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.runtime.KnownRuntime;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.port.out.ActionRunner.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runtime a pack defines, end to end on this machine: read from {@code pack.yaml}, its scripted interpreter
 * probed on a temporary real {@code PATH} beside the built-in probes, and an action of the pack run with it.
 */
class PackRuntimesOnThisMachineTest {

  private static final RuntimeName ML = new RuntimeName("ml");

  @TempDir
  Path root;

  private Path bin;
  private Path packs;
  private Map<String, String> environment;

  @BeforeEach
  void packWithAnMlRuntime() {
    bin = root.resolve("bin");
    packs = root.resolve("packs");
    write(packs, "ml/pack.yaml", String.join("\n",
        "description: a pack that brings its own runtime",
        "runtimes:",
        "  ml:",
        "    command: ml-python",
        "    args: [-u]",
        "    version_args: [--ml-version]",
        ""));
    write(packs, "ml/actions/train.yaml", "runtime: ml\nentry_point: train.sh\n");
    write(packs, "ml/actions/train.sh", "read params; echo \"{\\\"trained\\\": $params}\"\n");
    write(packs, "ml/actions/broken.yaml", "runtime: ml\nentry_point: missing.sh\n");
    environment = Map.of("PATH", bin.toString(), "HOME", root.toString(), "LANG", "C.UTF-8");
  }

  /** Answers its own version flag; runs the entry point with /bin/sh only when the pack's argument came first. */
  private void mlPython(String version) {
    executable(bin, "ml-python", String.join("\n",
        "if [ \"$1\" = --ml-version ]; then echo 'ml-python " + version + "'; exit 0; fi",
        "if [ \"$1\" != -u ]; then echo \"expected -u first, got $1\" >&2; exit 9; fi",
        "shift",
        "exec /bin/sh \"$@\""));
  }

  private List<KnownRuntime> recipes(PacksDirectoryCatalog catalog) {
    List<KnownRuntime> all = new ArrayList<>(KnownRuntime.PROBED);
    catalog.runtimes().stream().map(PackRuntime::probeRecipe).forEach(all::add);
    return all;
  }

  @Test
  void theInterpreterIsProbedWithTheBuiltInOnesAndRunsThePacksActionWithItsArguments() {
    mlPython("1.4.2");
    executable(bin, "python3", "echo 'Python 3.11.2'");
    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(packs);

    ProbeReport report = new ProcessRuntimeProbe(environment, Duration.ofSeconds(30)).probe(recipes(catalog));

    assertThat(report.interpreterFor(ML)).get().satisfies(found -> {
      assertThat(found.binary()).isEqualTo("ml-python");
      assertThat(found.path()).isEqualTo(bin.resolve("ml-python").toString());
      assertThat(found.version()).isEqualTo(new Version(1, 4, 2));
    });
    assertThat(report.interpreterFor(RuntimeName.PYTHON)).isPresent();

    PackRuntime ml = catalog.runtimes().get(0);
    // as this user: the scripted interpreters live in a private folder
    RunnerSettings settings = new RunnerSettings(packs, RunnerSettings.interpretersOf(report.interpreters()), 4096,
        environment, Map.of(ML, ml.args()), ActionUser.named(System.getProperty("user.name")));
    ActionDefinition train = catalog.find("ml.train").orElseThrow();
    Outcome outcome = new ProcessActionRunner(settings).run(new ExecutionId(1), train, Map.of("epochs", 3));

    assertThat(outcome.status()).as(outcome.result().toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().structured()).contains(Map.of("trained", Map.of("epochs", 3)));
  }

  @Test
  void aMissingInterpreterIsAWarningNamingItsCommandAndNothingIsFound() {
    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(packs);

    ProbeReport report = new ProcessRuntimeProbe(environment, Duration.ofSeconds(30)).probe(recipes(catalog));

    assertThat(report.interpreterFor(ML)).isEmpty();
    assertThat(report.warnings()).contains("ml-python: not found on PATH");
  }

  @Test
  void anInterpreterThatDoesNotAnswerItsVersionFlagIsNotFound() {
    executable(bin, "ml-python", "echo 'unknown option' >&2; exit 2");
    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(packs);

    ProbeReport report = new ProcessRuntimeProbe(environment, Duration.ofSeconds(30)).probe(recipes(catalog));

    assertThat(report.interpreters()).extracting(Interpreter::runtime).doesNotContain(ML);
    assertThat(report.warnings()).contains("ml-python: exit status 2");
  }

  @Test
  void theBrokenActionOfThePackIsSkippedWhileItsOtherActionAndTheRuntimeAreServed() {
    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(packs);

    assertThat(catalog.all()).extracting(a -> a.ref().toString()).containsExactly("ml.train");
    assertThat(catalog.runtimes()).extracting(PackRuntime::name).containsExactly(ML);
    assertThat(catalog.problems()).singleElement().satisfies(p -> {
      assertThat(p.file()).isEqualTo(packs.resolve("ml/actions/broken.yaml"));
      assertThat(p.error().entry()).isEqualTo("entry_point = 'missing.sh' (line 2)");
    });
  }

  @Test
  void theDocumentedExamplePackRunsWithTheMachinesPython() {
    Path python = Path.of("/usr/bin/python3");
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(python), "no /usr/bin/python3");
    Path examples = Path.of("..", "docs", "examples", "packs").toAbsolutePath().normalize();
    Map<String, String> machine = Map.of("PATH", "/usr/bin:/bin", "HOME", root.toString(), "LANG", "C.UTF-8");
    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(examples);
    ProbeReport report = new ProcessRuntimeProbe(machine, Duration.ofSeconds(30)).probe(recipes(catalog));
    assertThat(report.interpreterFor(ML)).get().extracting(Interpreter::path).isEqualTo(python.toString());

    RunnerSettings settings = new RunnerSettings(examples, RunnerSettings.interpretersOf(report.interpreters()),
        4096, machine, Map.of(ML, catalog.runtimes().get(0).args()));
    Outcome outcome = new ProcessActionRunner(settings).run(new ExecutionId(2), catalog.find("ml.train")
        .orElseThrow(), Map.of("epochs", 2));

    assertThat(outcome.status()).as(outcome.result().toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().structured()).contains(Map.of("epochs", 2, "loss", 0.25, "unbuffered", true));
  }
}
