package io.attune.worker.adapter.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.port.out.ActionRunner.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An action that daemonises leaves nothing behind, whether it ends by itself, times out or is cancelled: a daemon
 * in a session of its own and a double-forked one are no descendants of the action any more once their parents
 * have gone, yet they belong to its execution.
 */
class DaemonisingActionTest {

  private static final ExecutionId EXECUTION = new ExecutionId(7);
  /** Both daemons, then the action's own PID once both have written theirs. */
  private static final String DAEMONISE = String.join("\n",
      "setsid sh -c 'echo $$ > setsid.pid; exec sleep 300' </dev/null >/dev/null 2>&1 &",
      "( (sleep 300 & echo $! > double.pid) & )",
      "while [ ! -s setsid.pid ] || [ ! -s double.pid ]; do sleep 0.05; done",
      "echo $$ > self.pid");
  private static final String[] PID_FILES = {"setsid.pid", "double.pid", "self.pid"};

  @RegisterExtension
  final PackFixture pack = new PackFixture();

  @BeforeAll
  static void onlyWithALauncher() {
    PackFixture.assumeALauncher();
  }

  @Test
  void daemonsOfAnActionThatEndsByItselfAreEndedWithIt() {
    ActionDefinition action = pack.shellAction("daemons", DAEMONISE + "\necho done", PackFixture.LONG);

    Outcome outcome = new ProcessActionRunner(pack.settings()).run(EXECUTION, action, Map.of());
    List<Long> pids = pack.pids(PID_FILES);

    assertThat(outcome.status()).as(outcome.result().toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().stdout()).isEqualTo("done\n");
    PackFixture.awaitGone(pids);
  }

  @Test
  void daemonsOfAnActionThatTimesOutAreEndedWithIt() {
    // a few seconds: the daemons are up long before, even on a busy machine
    ActionDefinition action = pack.shellAction("daemons", DAEMONISE + "\nsleep 300", Duration.ofSeconds(3));

    Outcome outcome = new ProcessActionRunner(pack.settings(), Duration.ofMillis(500)).run(EXECUTION, action,
        Map.of());
    List<Long> pids = pack.pids(PID_FILES);

    assertThat(outcome.status()).as(outcome.result().toString()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(outcome.result().message()).startsWith("timed out after 3s (timeout of t.daemons)");
    PackFixture.awaitGone(pids);
  }

  @Test
  void daemonsOfACancelledActionAreEndedWithIt() throws Exception {
    ActionDefinition action = pack.shellAction("daemons", DAEMONISE + "\nsleep 300", PackFixture.LONG);
    ProcessActionRunner runner = new ProcessActionRunner(pack.settings(), Duration.ofMillis(500));
    AtomicReference<Outcome> outcome = new AtomicReference<>();
    Thread worker = new Thread(() -> outcome.set(runner.run(EXECUTION, action, Map.of())));
    worker.start();
    List<Long> pids = pack.pids(PID_FILES);

    worker.interrupt();
    worker.join(PackFixture.PATIENCE.toMillis());

    assertThat(outcome.get()).isNotNull();
    assertThat(outcome.get().status()).isEqualTo(ExecutionStatus.CANCELLED);
    PackFixture.awaitGone(pids);
  }
}
