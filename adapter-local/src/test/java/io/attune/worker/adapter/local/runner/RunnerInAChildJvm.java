package io.attune.worker.adapter.local.runner;

import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A worker in a JVM of its own, for a test to kill: runs one shell action of pack {@code t} with the runner as a
 * worker has it, and exits with 0 once the action has ended (it should not, the test kills this JVM first).
 *
 * <p>Arguments: the packs folder and the action's name (entry point {@code <name>.sh}).
 */
public final class RunnerInAChildJvm {

  private RunnerInAChildJvm() {
  }

  public static void main(String[] args) {
    Path packs = Path.of(args[0]);
    ProcessActionRunner runner = new ProcessActionRunner(RunnerSettings.of(packs, Map.of(),
        Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "LANG", "C.UTF-8")));
    ExecutionStatus status = runner.run(new ExecutionId(1), PackFixture.action(args[1], args[1] + ".sh",
        Duration.ofMinutes(10)), Map.of()).status();
    System.exit(status == ExecutionStatus.SUCCEEDED ? 0 : 1);
  }
}
