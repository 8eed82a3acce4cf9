package io.attune.worker.adapter.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker killed with SIGKILL leaves none of its actions running, even on a host without an init that would reap
 * them: its executions are retried elsewhere, and the first attempt must not go on beside the retry.
 */
class WorkerKilledTest {

  @RegisterExtension
  final PackFixture pack = new PackFixture();

  @BeforeAll
  static void onlyWithALauncher() {
    PackFixture.assumeALauncher();
  }

  private Process worker;

  @AfterEach
  void killTheWorker() {
    if (worker != null) {
      worker.destroyForcibly();
    }
  }

  @Test
  void theActionsOfAWorkerKilledWithSigkillEndWithIt() throws Exception {
    pack.shellAction("long", String.join("\n",
        "sleep 300 &",
        "echo $! > child.pid",
        "setsid sh -c 'echo $$ > daemon.pid; exec sleep 300' </dev/null >/dev/null 2>&1 &",
        "while [ ! -s daemon.pid ]; do sleep 0.05; done",
        "echo $$ > self.pid",
        "wait"), PackFixture.LONG);
    String java = ProcessHandle.current().info().command().orElse("java");
    worker = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        RunnerInAChildJvm.class.getName(), pack.packs.toString(), "long")
        .redirectErrorStream(true).redirectOutput(pack.root.resolve("worker.log").toFile()).start();
    List<Long> action = pack.pids("child.pid", "daemon.pid", "self.pid");

    worker.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs in the worker
    assertThat(worker.waitFor(PackFixture.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

    PackFixture.awaitGone(action);
  }
}
