package io.attune.worker.adapter.local.runner;

import static io.attune.worker.testsupport.process.Scripts.endsSoon;
import static io.attune.worker.testsupport.process.Scripts.executable;
import static io.attune.worker.testsupport.process.Scripts.pidIn;
import static io.attune.worker.testsupport.process.Scripts.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.port.out.ActionRunner.Outcome;
import io.attune.worker.testsupport.process.Scripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner as the worker uses it: through the action launcher, and as {@code nobody} when the tests run as root.
 * {@link ProcessActionRunnerWithoutLauncherTest} runs the same tests on the fallback without a launcher.
 */
class ProcessActionRunnerTest {

  private static final ExecutionId EXECUTION = new ExecutionId(42);
  private static final Duration QUICK = Duration.ofSeconds(30);

  @TempDir
  Path root;

  private Path packs;
  private Path actions;
  private Map<String, String> workerEnvironment;

  @BeforeEach
  void layOutPack() throws IOException {
    packs = root.resolve("packs");
    actions = packs.resolve("t").resolve("actions");
    // actions of a root worker run as nobody, who must reach the pack and write the PID files of these tests there
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(actions);
    Files.setPosixFilePermissions(actions, PosixFilePermissions.fromString("rwxrwxrwx"));
    workerEnvironment = new HashMap<>();
    workerEnvironment.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    workerEnvironment.put("HOME", root.toString());
    workerEnvironment.put("LANG", "C.UTF-8");
    workerEnvironment.put("ATTUNE_DATABASE_URL", "jdbc:postgresql://db:5432/attune");
    workerEnvironment.put("ATTUNE_DATABASE_PASSWORD", "s3cret");
    workerEnvironment.put("ATTUNE_MQ_URL", "amqp://guest:hunter2@mq:5672/%2F");
    workerEnvironment.put("SOME_TOKEN", "t0ken");
  }

  /** The runner under test; the only place where one is made. */
  ProcessActionRunner runner(RunnerSettings settings, Duration terminationGrace) {
    return new ProcessActionRunner(settings, terminationGrace);
  }

  private ProcessActionRunner runner(RunnerSettings settings) {
    return runner(settings, ProcessActionRunner.DEFAULT_TERMINATION_GRACE);
  }

  private ProcessActionRunner runner(Map<RuntimeName, Path> interpreters) {
    return runner(RunnerSettings.of(packs, interpreters, workerEnvironment));
  }

  private ProcessActionRunner runner() {
    return runner(Map.of());
  }

  /**
   * python3 for the action's user: when that is not the worker's, the one in /usr/bin, since a python3 first on the
   * worker's PATH may live in the worker's home (pyenv), out of that user's reach.
   */
  private Optional<Path> python() {
    if (runner().actionUser().isEmpty()) {
      return Scripts.onJvmPath("python3");
    }
    Path system = Path.of("/usr/bin/python3");
    return Files.isExecutable(system) ? Optional.of(system) : Optional.empty();
  }

  private static ActionDefinition action(String name, RuntimeName runtime, String entryPoint, Duration timeout) {
    return new ActionDefinition(ActionRequirements.of("t." + name, runtime), entryPoint, timeout, Map.of());
  }

  private Path shellScript(String name, String body) {
    return write(actions, name, "# run by the shell interpreter\n" + body + "\n");
  }

  @Test
  void parametersArriveAsOneJsonObjectOnStandardInput() {
    shellScript("echo.sh", "cat");
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("name", "world");
    parameters.put("count", 3);
    parameters.put("tags", List.of("a", "b"));

    Outcome outcome = runner().run(EXECUTION, action("echo", RuntimeName.SHELL, "echo.sh", QUICK), parameters);

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().stdout()).isEqualTo("{\"name\":\"world\",\"count\":3,\"tags\":[\"a\",\"b\"]}");
    assertThat(outcome.result().exitCode()).contains(0);
    assertThat(outcome.result().message()).isEqualTo("exit status 0");
    assertThat(outcome.result().structured()).contains(parameters);
  }

  @Test
  void noParametersArriveAsAnEmptyJsonObject() {
    shellScript("echo.sh", "cat");

    Outcome outcome = runner().run(EXECUTION, action("echo", RuntimeName.SHELL, "echo.sh", QUICK), Map.of());

    assertThat(outcome.result().stdout()).isEqualTo("{}");
  }

  @Test
  void aChildThatNeverReadsParametersLargerThanAPipeStillTimesOut() {
    // 1 MiB: more than any pipe holds, so writing it blocks until the child reads or goes; the timeout must not wait
    shellScript("deaf.sh", "sleep 30");
    Map<String, Object> large = Map.of("text", "x".repeat(1 << 20));

    Outcome outcome = runner().run(EXECUTION, action("deaf", RuntimeName.SHELL, "deaf.sh", Duration.ofSeconds(1)),
        large);

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
  }

  @Test
  void largeParametersArriveWhole() {
    shellScript("count.sh", "wc -c");
    Map<String, Object> large = Map.of("text", "x".repeat(1 << 20));

    Outcome outcome = runner().run(EXECUTION, action("count", RuntimeName.SHELL, "count.sh", QUICK), large);

    int json = "{\"text\":\"\"}".length();
    assertThat(outcome.result().stdout().strip()).isEqualTo(Integer.toString((1 << 20) + json));
  }

  @Test
  void shellActionUsesTheConfiguredShellInterpreter() {
    Path fakeShell = executable(root.resolve("bin"), "fake-sh", "echo \"fake shell ran $1\"");
    shellScript("hello.sh", "echo never run by the fake shell");

    Outcome outcome = runner(Map.of(RuntimeName.SHELL, fakeShell))
        .run(EXECUTION, action("hello", RuntimeName.SHELL, "hello.sh", QUICK), Map.of());

    assertThat(outcome.result().stdout().strip()).isEqualTo("fake shell ran " + actions.resolve("hello.sh"));
  }

  @Test
  void pythonActionReadsItsParametersAndPrintsAJsonResult() {
    Optional<Path> python = python();
    assumeTrue(python.isPresent(), "a python3 that the action's user can run is installed");
    workerEnvironment.put("PATH", System.getenv("PATH"));
    write(actions, "add.py", "import json, sys\n"
        + "params = json.load(sys.stdin)\n"
        + "print('adding', params['a'], 'and', params['b'])\n"
        + "print(json.dumps({'sum': params['a'] + params['b']}))\n");

    Outcome outcome = runner(Map.of(RuntimeName.PYTHON, python.get()))
        .run(EXECUTION, action("add", RuntimeName.PYTHON, "add.py", QUICK), Map.of("a", 2, "b", 40));

    assertThat(outcome.status()).as(outcome.result().stderr()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().stdout()).startsWith("adding 2 and 40\n");
    assertThat(outcome.result().structured()).contains(Map.of("sum", 42));
  }

  @Test
  void nodeActionReadsItsParametersAndPrintsAJsonResult() {
    Optional<Path> node = Scripts.onJvmPath("node");
    assumeTrue(node.isPresent(), "node is installed");
    write(actions, "greet.js", "let raw = '';\n"
        + "process.stdin.on('data', c => raw += c);\n"
        + "process.stdin.on('end', () => {\n"
        + "  const p = JSON.parse(raw);\n"
        + "  console.log(JSON.stringify({greeting: 'hello, ' + p.name}, null, 2));\n"
        + "});\n");

    Outcome outcome = runner(Map.of(RuntimeName.NODE, node.get()))
        .run(EXECUTION, action("greet", RuntimeName.NODE, "greet.js", QUICK), Map.of("name", "node"));

    assertThat(outcome.status()).as(outcome.result().stderr()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().structured()).contains(Map.of("greeting", "hello, node"));
  }

  @Test
  void nativeActionRunsTheExecutableItself() {
    executable(actions, "native-tool", "cat > /dev/null\necho \"native ran as $0\"");

    Outcome outcome = runner().run(EXECUTION, action("tool", RuntimeName.NATIVE, "native-tool", QUICK), Map.of());

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().stdout().strip()).isEqualTo("native ran as " + actions.resolve("native-tool"));
  }

  @Test
  void nativeEntryPointWithoutExecutePermissionFailsNamingTheFile() {
    write(actions, "not-executable", "#!/bin/sh\necho hi\n");

    Outcome outcome = runner().run(EXECUTION, action("tool", RuntimeName.NATIVE, "not-executable", QUICK),
        Map.of());

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(outcome.result().message()).contains(actions.resolve("not-executable").toString())
        .contains("not executable");
    assertThat(outcome.result().exitCode()).isEmpty();
  }

  @Test
  void customRuntimeRunsTheEntryPointWithItsConfiguredInterpreter() {
    Path interpreter = executable(root.resolve("bin"), "ml-run", "echo \"ml interpreter got $1\"");
    write(actions, "train.ml", "model definition\n");

    Outcome outcome = runner(Map.of(new RuntimeName("ml"), interpreter))
        .run(EXECUTION, action("train", new RuntimeName("ml"), "train.ml", QUICK), Map.of());

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().stdout().strip()).isEqualTo("ml interpreter got " + actions.resolve("train.ml"));
  }

  @Test
  void interpreterArgumentsComeBetweenTheInterpreterAndTheEntryPoint() {
    Path interpreter = executable(root.resolve("bin"), "ml-run", "printf '%s|' \"$@\"");
    write(actions, "train.ml", "model definition\n");
    RuntimeName ml = new RuntimeName("ml");
    RunnerSettings settings = new RunnerSettings(packs, Map.of(ml, interpreter), 1024, workerEnvironment,
        Map.of(ml, List.of("-u", "two words")));

    Outcome outcome = runner(settings).run(EXECUTION, action("train", ml, "train.ml", QUICK),
        Map.of());

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().stdout()).isEqualTo("-u|two words|" + actions.resolve("train.ml") + "|");
    assertThat(settings.argumentsOf(RuntimeName.PYTHON)).isEmpty();
  }

  @Test
  void interpreterGivenAsBareNameIsLookedUpOnTheChildPath() {
    executable(root.resolve("bin"), "ml-run", "echo \"found on PATH, got $1\"");
    workerEnvironment.put("PATH", root.resolve("bin") + ":/usr/bin:/bin");
    write(actions, "train.ml", "model definition\n");

    Outcome outcome = runner(Map.of(new RuntimeName("ml"), Path.of("ml-run")))
        .run(EXECUTION, action("train", new RuntimeName("ml"), "train.ml", QUICK), Map.of());

    assertThat(outcome.result().stdout()).startsWith("found on PATH, got ");
  }

  @Test
  void missingInterpreterIsAFailedOutcomeNamingTheRuntime() {
    write(actions, "hello.py", "print('hi')\n");

    Outcome outcome = runner().run(EXECUTION, action("hello", RuntimeName.PYTHON, "hello.py", QUICK), Map.of());

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(outcome.result().message()).contains("no interpreter for runtime 'python'").contains("t.hello");
    assertThat(outcome.result().exitCode()).isEmpty();
  }

  @Test
  void configuredInterpreterThatDoesNotExistIsAFailedOutcomeNamingItsPath() {
    write(actions, "hello.py", "print('hi')\n");
    Path gone = root.resolve("no-such-python");

    Outcome outcome = runner(Map.of(RuntimeName.PYTHON, gone))
        .run(EXECUTION, action("hello", RuntimeName.PYTHON, "hello.py", QUICK), Map.of());

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(outcome.result().message()).contains(gone.toString()).contains("does not exist or is not executable");
  }

  @Test
  void missingEntryPointIsAFailedOutcomeNamingTheFile() {
    Outcome outcome = runner().run(EXECUTION, action("gone", RuntimeName.SHELL, "gone.sh", QUICK), Map.of());

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(outcome.result().message()).contains(actions.resolve("gone.sh").toString()).contains("does not exist");
  }

  @Test
  void entryPointOutsideItsPackIsRefused() {
    write(packs, "other/actions/steal.sh", "echo stolen\n");

    Outcome outcome = runner().run(EXECUTION,
        action("steal", RuntimeName.SHELL, "../../other/actions/steal.sh", QUICK), Map.of());

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(outcome.result().message()).contains("escapes its pack folder");
    assertThat(outcome.result().stdout()).isEmpty();
  }

  @Test
  void nonZeroExitIsAFailedOutcomeWithItsStatusAndStandardError() {
    shellScript("fail.sh", "echo working\necho 'disk full' >&2\nexit 3");

    Outcome outcome = runner().run(EXECUTION, action("fail", RuntimeName.SHELL, "fail.sh", QUICK), Map.of());

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(outcome.result().exitCode()).contains(3);
    assertThat(outcome.result().message()).isEqualTo("exit status 3");
    assertThat(outcome.result().stdout()).isEqualTo("working\n");
    assertThat(outcome.result().stderr()).isEqualTo("disk full\n");
  }

  @Test
  void outputBeyondTheCapIsCutWithANoticeWhileTheChildKeepsRunningToItsEnd() {
    // far more than a pipe holds: were the runner to stop reading at the cap, the child would block until timeout
    shellScript("flood.sh", "head -c 300000 /dev/zero | tr '\\0' x\nhead -c 150 /dev/zero | tr '\\0' e >&2\n"
        + "echo done > finished");
    ProcessActionRunner runner = runner(new RunnerSettings(packs, Map.of(), 100, workerEnvironment));

    Outcome outcome = runner.run(EXECUTION, action("flood", RuntimeName.SHELL, "flood.sh", QUICK), Map.of());

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().stdout())
        .isEqualTo("x".repeat(100) + "\n[output truncated: 299900 bytes omitted, cap 100 bytes]");
    assertThat(outcome.result().stderr())
        .isEqualTo("e".repeat(100) + "\n[output truncated: 50 bytes omitted, cap 100 bytes]");
    assertThat(actions.resolve("finished")).exists();
  }

  @Test
  void wholeStandardOutputThatIsAJsonObjectBecomesTheResult() {
    shellScript("pretty.sh", "cat <<'EOF'\n{\n  \"ok\": true,\n  \"items\": [1, 2],\n  \"nested\": {\"k\": \"v\"}\n}\nEOF");

    Outcome outcome = runner().run(EXECUTION, action("pretty", RuntimeName.SHELL, "pretty.sh", QUICK), Map.of());

    assertThat(outcome.result().structured())
        .contains(Map.of("ok", true, "items", List.of(1, 2), "nested", Map.of("k", "v")));
  }

  @Test
  void lastLineThatIsAJsonObjectBecomesTheResultAfterLogLines() {
    shellScript("log.sh", "echo 'step 1 {not json}'\necho 'step 2'\necho '{\"answer\": 42}'");

    Outcome outcome = runner().run(EXECUTION, action("log", RuntimeName.SHELL, "log.sh", QUICK), Map.of());

    assertThat(outcome.result().structured()).contains(Map.of("answer", 42));
  }

  @Test
  void outputThatIsNoJsonObjectGivesNoResult() {
    shellScript("plain.sh", "echo 'just text'\necho '[1, 2, 3]'");
    shellScript("broken.sh", "echo '{\"half\": '");

    ProcessActionRunner runner = runner();
    Outcome plain = runner.run(EXECUTION, action("plain", RuntimeName.SHELL, "plain.sh", QUICK), Map.of());
    Outcome broken = runner.run(EXECUTION, action("broken", RuntimeName.SHELL, "broken.sh", QUICK), Map.of());

    assertThat(plain.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(plain.result().structured()).isEmpty();
    assertThat(broken.result().structured()).isEmpty();
  }

  @Test
  void truncatedOutputGivesNoResult() {
    shellScript("big.sh", "echo '{\"padding\": \"" + "p".repeat(200) + "\"}'");
    ProcessActionRunner runner = runner(new RunnerSettings(packs, Map.of(), 50, workerEnvironment));

    Outcome outcome = runner.run(EXECUTION, action("big", RuntimeName.SHELL, "big.sh", QUICK), Map.of());

    assertThat(outcome.result().stdout()).contains("[output truncated:");
    assertThat(outcome.result().structured()).isEmpty();
  }

  @Test
  void timeoutEndsTheWholeProcessTreeIncludingGrandchildren() {
    shellScript("slow.sh", "echo started\n"
        + "sleep 30 &\necho $! > child.pid\n"
        + "sh -c 'sleep 30 & echo $! > grandchild.pid; wait' &\n"
        + "wait");

    Outcome outcome = runner().run(EXECUTION, action("slow", RuntimeName.SHELL, "slow.sh", Duration.ofSeconds(1)),
        Map.of());

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(outcome.result().message()).startsWith("timed out after 1s (timeout of t.slow)")
        .doesNotContain("killed after");
    assertThat(outcome.result().exitCode()).isEmpty();
    assertThat(outcome.result().stdout()).isEqualTo("started\n");
    assertThat(endsSoon(pidIn(actions.resolve("child.pid")))).as("child ended").isTrue();
    assertThat(endsSoon(pidIn(actions.resolve("grandchild.pid")))).as("grandchild ended").isTrue();
  }

  @Test
  void treeThatIgnoresTheTerminationSignalIsKilledAfterTheGracePeriod() {
    shellScript("stubborn.sh", "trap '' TERM\n"
        + "sleep 30 &\necho $! > child.pid\n"
        + "echo $$ > self.pid\n"
        + "while :; do sleep 1; done");
    ProcessActionRunner runner = runner(RunnerSettings.of(packs, Map.of(), workerEnvironment),
        Duration.ofMillis(300));

    Outcome outcome = runner.run(EXECUTION, action("stubborn", RuntimeName.SHELL, "stubborn.sh",
        Duration.ofSeconds(1)), Map.of());

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(outcome.result().message()).contains("killed after a grace of 300ms");
    assertThat(endsSoon(pidIn(actions.resolve("self.pid")))).as("the action ended").isTrue();
    assertThat(endsSoon(pidIn(actions.resolve("child.pid")))).as("its child ended").isTrue();
  }

  @Test
  void childEnvironmentHoldsOnlyPathHomeLangAndTheExecutionVariables() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux /proc shows a process's initial environment");
    shellScript("env.sh", "tr '\\0' '\\n' < /proc/$$/environ");

    ProcessActionRunner runner = runner();
    Outcome outcome = runner.run(EXECUTION, action("env", RuntimeName.SHELL, "env.sh", QUICK), Map.of());

    // the worker's home, unless the action runs as another user, who gets /tmp
    String home = runner.actionUser().isPresent() ? "/tmp" : root.toString();
    assertThat(outcome.result().stdout().lines()).containsExactlyInAnyOrder(
        "PATH=/usr/local/bin:/usr/bin:/bin",
        "HOME=" + home,
        "LANG=C.UTF-8",
        "ATTUNE_EXECUTION_ID=42",
        "ATTUNE_ACTION_REF=t.env",
        "ATTUNE_PACK_DIR=" + packs.resolve("t").toAbsolutePath());
    assertThat(outcome.result().stdout()).doesNotContain("s3cret", "hunter2", "t0ken", "ATTUNE_DATABASE",
        "ATTUNE_MQ_URL");
  }

  @Test
  void pythonActionPrintingItsWholeEnvironmentSeesNoSecret() {
    Optional<Path> python = python();
    assumeTrue(python.isPresent(), "a python3 that the action's user can run is installed");
    workerEnvironment.put("PATH", System.getenv("PATH"));
    write(actions, "env.py", "import os\nfor k, v in sorted(os.environ.items()):\n    print(f'{k}={v}')\n");

    Outcome outcome = runner(Map.of(RuntimeName.PYTHON, python.get()))
        .run(EXECUTION, action("env", RuntimeName.PYTHON, "env.py", QUICK), Map.of());

    assertThat(outcome.status()).as(outcome.result().stderr()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().stdout()).contains("ATTUNE_ACTION_REF=t.env")
        .doesNotContain("s3cret", "hunter2", "ATTUNE_DATABASE_PASSWORD", "ATTUNE_MQ_URL");
  }

  @Test
  void missingPathHomeAndLangFallBackToDefaults() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux /proc shows a process's initial environment");
    workerEnvironment = Map.of("ATTUNE_MQ_URL", "amqp://guest:hunter2@mq:5672/%2F");
    shellScript("env.sh", "tr '\\0' '\\n' < /proc/$$/environ");

    Outcome outcome = runner().run(EXECUTION, action("env", RuntimeName.SHELL, "env.sh", QUICK), Map.of());

    assertThat(outcome.result().stdout().lines()).contains("PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp",
        "LANG=C.UTF-8");
  }

  @Test
  void actionRunsInTheFolderOfItsEntryPoint() throws Exception {
    write(actions, "nested/where.sh", "pwd -P\n");

    Outcome outcome = runner().run(EXECUTION, action("where", RuntimeName.SHELL, "nested/where.sh", QUICK),
        Map.of());

    assertThat(outcome.result().stdout().strip()).isEqualTo(actions.resolve("nested").toRealPath().toString());
  }

  @Test
  void leftoverProcessHoldingTheOutputOpenDoesNotKeepTheRunFromEnding() {
    shellScript("daemon.sh", "echo before\nsleep 30 &\necho $! > leftover.pid\nexit 0");

    Outcome outcome = runner().run(EXECUTION, action("daemon", RuntimeName.SHELL, "daemon.sh", QUICK), Map.of());
    ProcessHandle.of(pidIn(actions.resolve("leftover.pid"))).ifPresent(ProcessHandle::destroyForcibly);

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().stdout()).isEqualTo("before\n");
    // whether the leftover still holds the pipe when the action exits depends on scheduling; either way the run
    // has ended (we are here) with what the action printed
    assertThat(outcome.result().message()).startsWith("exit status 0");
  }

  @Test
  void actionThatNeverReadsLargeParametersStillCompletes() {
    shellScript("ignore.sh", "echo ignored");

    Outcome outcome = runner().run(EXECUTION, action("ignore", RuntimeName.SHELL, "ignore.sh", QUICK),
        Map.of("blob", "b".repeat(1_000_000)));

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().stdout()).isEqualTo("ignored\n");
  }

  @Test
  void interruptedRunIsCancelledAndItsProcessEnded() throws Exception {
    shellScript("wait.sh", "echo $$ > self.pid\nsleep 30");
    AtomicReference<Outcome> outcome = new AtomicReference<>();
    Thread worker = new Thread(() -> outcome.set(runner()
        .run(EXECUTION, action("wait", RuntimeName.SHELL, "wait.sh", QUICK), Map.of())));
    worker.start();
    long pid = pidIn(actions.resolve("self.pid"));

    worker.interrupt();
    worker.join(Duration.ofSeconds(20).toMillis());

    assertThat(outcome.get()).isNotNull();
    assertThat(outcome.get().status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(endsSoon(pid)).isTrue();
  }

  @Test
  void stoppingARunEndsItsWholeTreeGrandchildrenIncludedAndKeepsWhatItPrinted() throws Exception {
    shellScript("tree.sh", String.join("\n",
        "echo started",
        "sh -c 'sleep 300 & echo $! > grandchild.pid; wait' &",
        "echo $! > child.pid",
        "sleep 300 &",
        "echo $! > sleeper.pid",
        "echo $$ > self.pid",
        "wait"));
    AtomicReference<Outcome> outcome = new AtomicReference<>();
    Thread worker = new Thread(() -> outcome.set(runner()
        .run(EXECUTION, action("tree", RuntimeName.SHELL, "tree.sh", QUICK), Map.of())));
    worker.start();
    List<Long> tree = new ArrayList<>();
    for (String file : List.of("self.pid", "child.pid", "grandchild.pid", "sleeper.pid")) {
      tree.add(pidIn(actions.resolve(file)));
    }
    assertThat(tree).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isPresent());

    worker.interrupt();
    worker.join(Duration.ofSeconds(30).toMillis());

    assertThat(outcome.get()).isNotNull();
    assertThat(outcome.get().status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(outcome.get().result().stdout()).isEqualTo("started\n");
    assertThat(outcome.get().result().message()).contains("process tree terminated");
    assertThat(tree).allSatisfy(pid -> assertThat(endsSoon(pid)).as("process " + pid).isTrue());
  }

  @Test
  void aTreeThatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
    shellScript("stubborn.sh", "trap '' TERM\nsleep 300 &\necho $! > stubborn.pid\nwait");
    ProcessActionRunner shortGrace = runner(RunnerSettings.of(packs, Map.of(), workerEnvironment),
        Duration.ofMillis(200));
    AtomicReference<Outcome> outcome = new AtomicReference<>();
    Thread worker = new Thread(() -> outcome.set(shortGrace
        .run(EXECUTION, action("stubborn", RuntimeName.SHELL, "stubborn.sh", QUICK), Map.of())));
    worker.start();
    long sleeper = pidIn(actions.resolve("stubborn.pid"));

    worker.interrupt();
    worker.join(Duration.ofSeconds(30).toMillis());

    assertThat(outcome.get().status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(outcome.get().result().message()).contains("killed after a grace of 200ms");
    assertThat(endsSoon(sleeper)).isTrue();
  }

  @Test
  void settingsNeverShowTheWorkerEnvironment() {
    assertThat(RunnerSettings.of(packs, Map.of(), workerEnvironment).toString()).doesNotContain("s3cret", "hunter2");
  }
}
