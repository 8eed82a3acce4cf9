package io.attune.worker.bootstrap.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.worker.Worker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 22, rows 7 and 8, with the real worker jar: an action's processes belong to its execution (a daemonising
 * action leaves nothing behind, and neither does a worker killed with SIGKILL), and an action cannot take the worker's
 * heap dump, credentials included, through HotSpot's attach protocol.
 */
class ProcessOwnershipIT extends WithIsolatedSystem {

  @Test
  void a_daemonising_action_leaves_no_process_behind_when_it_ends_or_when_its_worker_is_killed() throws Exception {
    JarProcess worker = systemWithOneWorker("daemon");

    ExecutionId ended = submitDaemon(0.5);
    assertThat(system.awaitEnded(ended, LONG).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    List<String> leftByTheEnd = pids(ended, 3);
    await().atMost(LONG).untilAsserted(() -> assertThat(leftByTheEnd).noneMatch(IsolatedSystem::running));

    ExecutionId orphaned = submitDaemon(60);
    await().atMost(LONG).until(() -> system.execution(orphaned).status() == ExecutionStatus.RUNNING);
    List<String> leftByTheKill = pids(orphaned, 3);
    worker.kill();
    worker.awaitExit(30);

    await().atMost(LONG).untilAsserted(() -> assertThat(leftByTheKill).noneMatch(IsolatedSystem::running));
  }

  @Test
  void an_action_cannot_take_a_heap_dump_of_its_worker_once_the_attach_mechanism_is_off() throws Exception {
    system = IsolatedSystem.create("own_attach", work);
    String canary = "canary-" + UUID.randomUUID();
    system.scheduler("attach-scheduler");
    // the worker as an unprivileged user, its actions as the same user: the case the attach protocol lets in
    List<String> asNobody = isRoot() ? List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--")
        : List.of();
    Map<String, String> env = system.env(Map.of("ATTUNE_WORKER_NAME", "attach-open",
        "ATTUNE_WORKER_RUNTIMES", "shell,python", "ATTUNE_DATABASE_PASSWORD", canary, "HOME", "/tmp",
        "ATTUNE_WORKER_LABELS", "door=open"));
    List<String> withoutFlag = JarProcess.JVM_OPTIONS.stream().filter(o -> !o.contains("Attach")).toList();
    // a copy nobody can read, wherever the checkout is
    Path jar = Files.copy(JarProcess.JAR, work.resolve("attune-worker.jar"));
    JarProcess open = JarProcess.start("attach-open", env, asNobody, withoutFlag, jar, "run");
    Map<String, String> closedEnv = new java.util.HashMap<>(env);
    closedEnv.put("ATTUNE_WORKER_NAME", "attach-closed");
    closedEnv.put("ATTUNE_WORKER_LABELS", "door=closed");
    JarProcess closed = JarProcess.start("attach-closed", closedEnv, asNobody, JarProcess.JVM_OPTIONS, jar, "run");
    try {
      system.awaitWorker("attach-open", Worker::isActive, LONG);
      system.awaitWorker("attach-closed", Worker::isActive, LONG);

      Execution onOpen = attachOn("open");
      Execution onClosed = attachOn("closed");

      // the control: without the flag the attack works, which shows the test can see it
      assertThat(open.log()).contains("the JVM's attach mechanism is enabled");
      String openResult = String.valueOf(onOpen.result().orElseThrow().result());
      assertThat(openResult).contains("attached=true");
      Path dump = Path.of(openResult.replaceAll("(?s).*dump=([^,}]+).*", "$1").trim());
      await().atMost(LONG).until(() -> Files.exists(dump) && contains(dump, canary));
      Files.deleteIfExists(dump);
      // with the flag (the images', compose's, Kubernetes' and the scripts' JVMs) it does not
      assertThat(closed.log()).doesNotContain("the JVM's attach mechanism is enabled");
      assertThat(String.valueOf(onClosed.result().orElseThrow().result())).contains("attached=false");
    } finally {
      open.kill();
      closed.kill();
    }
  }

  private Execution attachOn(String door) {
    io.attune.worker.bootstrap.cli.CliRun run = system.cli("submit", "own.attach_" + door, "--json", "--wait",
        "--timeout", "120");
    String digits = run.out().replaceAll("(?s).*\"execution_id\"\\s*:\\s*(\\d+).*", "$1").trim();
    return system.awaitEnded(new ExecutionId(Long.parseLong(digits)), LONG);
  }

  private ExecutionId submitDaemon(double seconds) {
    io.attune.worker.bootstrap.cli.CliRun run = system.cli("submit", "own.daemon", "--param", "seconds=" + seconds,
        "--json");
    assertThat(run.status()).as(run.err()).isZero();
    return new ExecutionId(Long.parseLong(run.out().replaceAll("(?s).*\"execution_id\"\\s*:\\s*(\\d+).*", "$1")
        .trim()));
  }

  /** The processes the action wrote ({@code "pid start"}), once it wrote {@code count} of them. */
  private List<String> pids(ExecutionId id, int count) {
    Path file = system.packs().resolve("runs").resolve(id + ".pids");
    await().atMost(LONG).until(() -> Files.exists(file) && Files.readAllLines(file).size() >= count);
    try {
      return List.copyOf(Files.readAllLines(file));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }


  private static boolean contains(Path dump, String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    byte[] hay = Files.readAllBytes(dump);
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
