package io.attune.worker.adapter.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.adapter.local.runner.ActionLauncher.Lookup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link ProcessActionRunnerTest} on the fallback: no action launcher (a build without gcc), so the
 * runner ends process trees from Java ({@link io.attune.worker.adapter.local.process.ProcessTree}) and actions run as
 * the worker's own user.
 */
class ProcessActionRunnerWithoutLauncherTest extends ProcessActionRunnerTest {

  @Override
  ProcessActionRunner runner(RunnerSettings settings, Duration terminationGrace) {
    return new ProcessActionRunner(settings, terminationGrace, Lookup.none("no launcher in this test"),
        WorkerAccount.current());
  }

  @Test
  void withoutALauncherTheRunnerSaysOnceWhatIsMissing() {
    ProcessActionRunner runner = runner(RunnerSettings.of(Path.of("packs"), Map.of(), Map.of()),
        Duration.ofSeconds(1));

    assertThat(runner.launcherInUse()).isFalse();
    assertThat(runner.actionUser()).isEmpty();
    assertThat(runner.warnings()).first().asString().startsWith("no launcher in this test; actions run without a "
        + "launcher: a process that daemonises (setsid, double fork) can outlive its action");
  }
}
