package io.attune.worker.adapter.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.attune.worker.adapter.local.packs.PacksDirectoryCatalog;
import io.attune.worker.adapter.local.probe.ProcessRuntimeProbe;
import io.attune.worker.adapter.local.runner.ActionUser;
import io.attune.worker.adapter.local.runner.ProcessActionRunner;
import io.attune.worker.adapter.local.runner.RunnerSettings;
import io.attune.worker.core.model.capability.ProbeReport;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.runtime.KnownRuntime;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.port.out.ActionRunner.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sample packs of the repository, run the way a worker runs them: probe, then run each action. */
class SamplePacksTest {

  private static final Path PACKS = Path.of("..", "packs");

  private static PacksDirectoryCatalog catalog;
  private static ProbeReport probed;
  private static ProcessActionRunner runner;

  @BeforeAll
  static void wireLikeTheCompositionRoot() {
    catalog = PacksDirectoryCatalog.load(PACKS);
    // generous: on a busy machine an interpreter behind a version-manager shim can take seconds to answer
    probed = new ProcessRuntimeProbe(System.getenv(), Duration.ofSeconds(20))
        .probe(List.of(KnownRuntime.forName(RuntimeName.PYTHON).orElseThrow(),
            KnownRuntime.forName(RuntimeName.NODE).orElseThrow()));
    // as this user: the interpreters probed on its PATH may live in its home (pyenv), out of reach of nobody
    runner = new ProcessActionRunner(RunnerSettings.of(PACKS, RunnerSettings.interpretersOf(probed.interpreters()),
        System.getenv()).withActionUser(ActionUser.named(System.getProperty("user.name"))));
  }

  private static Outcome run(String ref, Map<String, Object> parameters) {
    return runner.run(new ExecutionId(1), catalog.find(ref).orElseThrow(), parameters);
  }

  private static void assumeProbed(RuntimeName runtime) {
    assumeTrue(probed.interpreterFor(runtime).isPresent(), runtime + " is installed");
  }

  @Test
  void shellGreetingSucceedsWithTheNameFromItsParameters() {
    Outcome outcome = run("demo.hello_shell", Map.of("name", "Ada"));

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().stdout()).startsWith("hello, Ada, from a POSIX shell (execution 1)");
  }

  @Test
  void pythonGreetingReturnsAJsonResult() {
    assumeProbed(RuntimeName.PYTHON);

    Outcome outcome = run("demo.hello_python", Map.of("name", "Ada"));

    assertThat(outcome.status()).as(outcome.result().stderr()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().structured().orElseThrow())
        .containsEntry("greeting", "hello, Ada").containsEntry("execution", "1");
  }

  @Test
  void nodeGreetingReturnsAJsonResult() {
    assumeProbed(RuntimeName.NODE);

    Outcome outcome = run("demo.hello_node", Map.of("name", "Ada"));

    assertThat(outcome.status()).as(outcome.result().stderr()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().structured().orElseThrow()).containsEntry("greeting", "hello, Ada");
  }

  @Test
  void nativeActionReportsTheSystemAsJson() {
    Outcome outcome = run("demo.native_uname", Map.of());

    assertThat(outcome.status()).as(outcome.result().message()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().structured().orElseThrow()).containsKeys("system", "machine");
  }

  @Test
  void modernPythonActionCountsWords() {
    assumeProbed(RuntimeName.PYTHON);

    Outcome outcome = run("demo.python_modern", Map.of("text", "one two three"));

    assertThat(outcome.result().structured().orElseThrow()).containsEntry("words", 3);
  }

  @Test
  void addReturnsTheSum() {
    assumeProbed(RuntimeName.PYTHON);

    assertThat(run("demo.add", Map.of("a", 2, "b", 3)).result().structured().orElseThrow())
        .containsEntry("sum", 5);
  }

  @Test
  void zoneActionRunsWhereverItIsSent() {
    assertThat(run("demo.zone_east", Map.of()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  @Test
  void failingActionFailsWithExitStatusThreeAndAnExplanation() {
    Outcome outcome = run("demo.fail", Map.of());

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(outcome.result().exitCode()).contains(3);
    assertThat(outcome.result().stderr()).contains("the disk is full");
  }

  @Test
  void slowActionTimesOutAfterTwoSeconds() {
    Outcome outcome = run("demo.slow", Map.of());

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(outcome.result().message()).startsWith("timed out after 2s (timeout of demo.slow)");
  }
}
