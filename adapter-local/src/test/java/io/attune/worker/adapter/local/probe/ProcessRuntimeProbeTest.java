package io.attune.worker.adapter.local.probe;

import static io.attune.worker.testsupport.process.Scripts.endsSoon;
import static io.attune.worker.testsupport.process.Scripts.executable;
import static io.attune.worker.testsupport.process.Scripts.pidIn;
import static io.attune.worker.testsupport.process.Scripts.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.attune.worker.core.model.capability.Interpreter;
import io.attune.worker.core.model.capability.ProbeReport;
import io.attune.worker.core.model.runtime.KnownRuntime;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.testsupport.process.Scripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRuntimeProbeTest {

  private static final KnownRuntime PYTHON = KnownRuntime.forName(RuntimeName.PYTHON).orElseThrow();
  private static final KnownRuntime NODE = KnownRuntime.forName(RuntimeName.NODE).orElseThrow();
  private static final KnownRuntime RUBY = KnownRuntime.forName(RuntimeName.RUBY).orElseThrow();
  private static final KnownRuntime GO = KnownRuntime.forName(RuntimeName.GO).orElseThrow();
  private static final KnownRuntime JAVA = KnownRuntime.forName(RuntimeName.JAVA).orElseThrow();

  @TempDir
  Path bin;

  @TempDir
  Path marks;

  /** A probe whose PATH holds nothing but the scripted binaries of this test. */
  private ProcessRuntimeProbe probe(Duration timeout) {
    return new ProcessRuntimeProbe(Map.of("PATH", bin.toString(), "HOME", marks.toString(), "LANG", "C.UTF-8"),
        timeout);
  }

  private static KnownRuntime custom(String name, String binary) {
    return new KnownRuntime(new RuntimeName(name), List.of(binary), List.of("--version"));
  }

  @Test
  void aJavaInsideAReservedFolderIsNotOfferedEvenWhenReachedThroughALink(@TempDir Path ownRuntime)
      throws IOException {
    Path ownBin = Files.createDirectories(ownRuntime.resolve("bin"));
    executable(ownBin, "java", "echo 'openjdk version \"17.0.15\" 2025-04-15'");
    Files.createSymbolicLink(bin.resolve("java"), ownBin.resolve("java"));
    ProcessRuntimeProbe probe = new ProcessRuntimeProbe(Map.of("PATH", bin.toString(), "HOME", marks.toString()),
        ProcessRuntimeProbe.DEFAULT_TIMEOUT, List.of(ownRuntime));

    ProbeReport report = probe.probe(List.of(JAVA));

    assertThat(report.interpreters()).isEmpty();
    assertThat(report.warnings()).singleElement().asString()
        .contains("java: ").contains("worker's own runtime").contains(ownRuntime.toRealPath().toString());
  }

  @Test
  void aJavaOutsideTheReservedFoldersIsOffered(@TempDir Path ownRuntime) {
    executable(bin, "java", "echo 'openjdk version \"21.0.2\" 2024-01-16'");
    ProcessRuntimeProbe probe = new ProcessRuntimeProbe(Map.of("PATH", bin.toString(), "HOME", marks.toString()),
        ProcessRuntimeProbe.DEFAULT_TIMEOUT, List.of(ownRuntime));

    ProbeReport report = probe.probe(List.of(JAVA));

    assertThat(report.interpreters()).extracting(Interpreter::version).containsExactly(new Version(21, 0, 2));
  }

  @Test
  void binaryThatPrintsItsVersionIsReportedWithAbsolutePathAndVersion() {
    executable(bin, "python3", "[ \"$1\" = --version ] || exit 9\necho 'Python 3.12.1'");

    ProbeReport report = probe(ProcessRuntimeProbe.DEFAULT_TIMEOUT).probe(List.of(PYTHON));

    assertThat(report.interpreters()).containsExactly(new Interpreter(RuntimeName.PYTHON, "python3",
        bin.resolve("python3").toAbsolutePath().toString(), new Version(3, 12, 1)));
    assertThat(report.warnings()).as("no warning for the fallback python once python3 answered").isEmpty();
  }

  @Test
  void versionPrintedOnStandardErrorCountsAndEachRuntimeGetsItsOwnVersionArguments() {
    executable(bin, "java", "[ \"$1\" = -version ] || exit 9\necho 'openjdk version \"21.0.2\" 2024-01-16' >&2");
    executable(bin, "go", "[ \"$1\" = version ] || exit 9\necho 'go version go1.22.1 linux/amd64'");

    ProbeReport report = probe(ProcessRuntimeProbe.DEFAULT_TIMEOUT).probe(List.of(JAVA, GO));

    assertThat(report.interpreters()).extracting(Interpreter::runtime, Interpreter::version).containsExactly(
        org.assertj.core.groups.Tuple.tuple(RuntimeName.JAVA, new Version(21, 0, 2)),
        org.assertj.core.groups.Tuple.tuple(RuntimeName.GO, new Version(1, 22, 1)));
    assertThat(report.warnings()).isEmpty();
  }

  @Test
  void missingBinariesAreWarnedAsNotFoundOnPath() {
    ProbeReport report = probe(ProcessRuntimeProbe.DEFAULT_TIMEOUT).probe(List.of(PYTHON));

    assertThat(report.interpreters()).isEmpty();
    assertThat(report.warnings()).containsExactly("python3: not found on PATH", "python: not found on PATH");
  }

  @Test
  void onlyThePathOfTheGivenEnvironmentIsSearchedNotTheJvms() {
    assumeTrue(Scripts.onJvmPath("sh").isPresent(), "the JVM's PATH has sh");
    KnownRuntime sh = new KnownRuntime(new RuntimeName("posix"), List.of("sh"), List.of("--version"));

    ProbeReport report = probe(ProcessRuntimeProbe.DEFAULT_TIMEOUT).probe(List.of(sh));

    assertThat(report.warnings()).containsExactly("sh: not found on PATH");
  }

  @Test
  void environmentWithoutPathFindsNothingAndSaysSo() {
    ProcessRuntimeProbe probe = new ProcessRuntimeProbe(Map.of("HOME", "/tmp"), Duration.ofSeconds(1));

    ProbeReport report = probe.probe(List.of(RUBY));

    assertThat(report.warnings()).containsExactly("ruby: not found on PATH (PATH is not set)");
  }

  @Test
  void binaryThatExitsNonZeroIsWarnedWithItsExitStatus() {
    executable(bin, "node", "echo 'v20.1.0'\nexit 3");

    ProbeReport report = probe(ProcessRuntimeProbe.DEFAULT_TIMEOUT).probe(List.of(NODE));

    assertThat(report.interpreters()).isEmpty();
    assertThat(report.warnings()).containsExactly("node: exit status 3", "nodejs: not found on PATH");
  }

  @Test
  void hangingBinaryIsWarnedAsTimedOutAndItsWholeTreeIsKilled() {
    executable(bin, "ruby", "echo $$ > " + marks.resolve("ruby.pid") + "\nsleep 30 &\necho $! > "
        + marks.resolve("sleep.pid") + "\nwait");

    ProbeReport report = probe(Duration.ofSeconds(1)).probe(List.of(RUBY));

    assertThat(report.interpreters()).isEmpty();
    assertThat(report.warnings()).containsExactly("ruby: timed out after 1s");
    assertThat(endsSoon(pidIn(marks.resolve("ruby.pid")))).as("the hung binary is gone").isTrue();
    assertThat(endsSoon(pidIn(marks.resolve("sleep.pid")))).as("the child it started is gone").isTrue();
  }

  @Test
  void outputWithoutVersionIsWarnedWithItsFirstSixtyCharacters() {
    String garbage = "usage: go <command> [arguments]\n\tthis output has no version number in it at all, none";
    executable(bin, "go", "cat <<'EOF'\n" + garbage + "\nEOF");

    ProbeReport report = probe(ProcessRuntimeProbe.DEFAULT_TIMEOUT).probe(List.of(GO));

    String oneLine = garbage.replaceAll("\\s+", " ");
    assertThat(report.warnings()).containsExactly("go: no version in output: " + oneLine.substring(0, 60));
  }

  @Test
  void firstBinaryThatAnswersWinsOverLaterOnes() {
    executable(bin, "python3", "echo 'Python 3.11.0'");
    executable(bin, "python", "echo 'Python 2.7.18'");

    ProbeReport report = probe(ProcessRuntimeProbe.DEFAULT_TIMEOUT).probe(List.of(PYTHON));

    assertThat(report.interpreters()).singleElement()
        .satisfies(found -> assertThat(found.binary()).isEqualTo("python3"))
        .satisfies(found -> assertThat(found.version()).isEqualTo(new Version(3, 11, 0)));
    assertThat(report.warnings()).isEmpty();
  }

  @Test
  void fallbackBinaryIsUsedWhenTheFirstFailsAndOnlyTheFirstIsWarned() {
    executable(bin, "python3", "exit 1");
    executable(bin, "python", "echo 'Python 3.9.1'");

    ProbeReport report = probe(ProcessRuntimeProbe.DEFAULT_TIMEOUT).probe(List.of(PYTHON));

    assertThat(report.interpreters()).singleElement()
        .satisfies(found -> assertThat(found.binary()).isEqualTo("python"))
        .satisfies(found -> assertThat(found.version()).isEqualTo(new Version(3, 9, 1)));
    assertThat(report.warnings()).containsExactly("python3: exit status 1");
  }

  @Test
  void fileOnPathWithoutExecutePermissionIsWarnedAsNotExecutable() {
    write(bin, "perl", "#!/bin/sh\necho 'perl 5.36.0'\n");
    KnownRuntime perl = KnownRuntime.forName(RuntimeName.PERL).orElseThrow();

    ProbeReport report = probe(ProcessRuntimeProbe.DEFAULT_TIMEOUT).probe(List.of(perl));

    assertThat(report.warnings()).containsExactly(
        "perl: found at " + bin.resolve("perl").toAbsolutePath() + " but it is not executable");
  }

  @Test
  void probedBinarySeesOnlyPathHomeAndLangOfTheGivenEnvironment() throws IOException {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux /proc shows a process's initial environment");
    Path seen = marks.resolve("environ");
    executable(bin, "ruby", "tr '\\0' '\\n' < /proc/$$/environ > " + seen + "\necho 'ruby 3.2.2'");
    ProcessRuntimeProbe probe = new ProcessRuntimeProbe(Map.of("PATH", bin.toString(), "HOME", "/home/worker",
        "LANG", "C.UTF-8", "ATTUNE_DATABASE_PASSWORD", "s3cret", "ATTUNE_MQ_URL", "amqp://u:p@mq:5672/%2F"),
        ProcessRuntimeProbe.DEFAULT_TIMEOUT);

    ProbeReport report = probe.probe(List.of(RUBY));

    assertThat(report.interpreters()).hasSize(1);
    assertThat(Files.readAllLines(seen)).containsExactlyInAnyOrder(
        "PATH=" + bin, "HOME=/home/worker", "LANG=C.UTF-8");
  }

  @Test
  void binariesAreProbedAtTheSameTimeSoEachCanWaitForAllTheOthers() {
    // Each binary answers only once all five have started. Probed one after another, the first would wait in
    // vain and give up (exit 7), and so would the rest; probed at once, all five answer.
    List<KnownRuntime> runtimes = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      executable(bin, "latch" + i, "touch " + marks.resolve("started." + i) + "\n"
          + "tries=0\n"
          + "while [ \"$(ls " + marks + " | grep -c '^started\\.')\" -lt 5 ]; do\n"
          + "  tries=$((tries + 1)); [ $tries -gt 100 ] && exit 7\n"
          + "  sleep 0.05\n"
          + "done\n"
          + "echo 'latch 1." + i + ".0'");
      runtimes.add(custom("latch" + i, "latch" + i));
    }

    ProbeReport report = probe(Duration.ofSeconds(20)).probe(runtimes);

    assertThat(report.warnings()).isEmpty();
    assertThat(report.interpreters()).extracting(Interpreter::version).containsExactly(
        new Version(1, 1, 0), new Version(1, 2, 0), new Version(1, 3, 0), new Version(1, 4, 0),
        new Version(1, 5, 0));
  }

  @Test
  void fiveHangingBinariesAllStartWithinOneTimeoutOfEachOtherAndAllAreKilled() throws IOException {
    Duration timeout = Duration.ofSeconds(1);
    List<KnownRuntime> runtimes = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      executable(bin, "hang" + i, "date +%s%N > " + marks.resolve("start." + i) + "\n"
          + "echo $$ > " + marks.resolve("pid." + i) + "\n"
          + "sleep 30");
      runtimes.add(custom("hang" + i, "hang" + i));
    }

    ProbeReport report = probe(timeout).probe(runtimes);

    assertThat(report.warnings()).containsExactly("hang1: timed out after 1s", "hang2: timed out after 1s",
        "hang3: timed out after 1s", "hang4: timed out after 1s", "hang5: timed out after 1s");
    List<Long> starts = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      starts.add(Long.parseLong(Files.readString(marks.resolve("start." + i)).strip()));
      assertThat(endsSoon(pidIn(marks.resolve("pid." + i)))).as("hang%d is gone", i).isTrue();
    }
    long spread = starts.stream().mapToLong(Long::longValue).max().orElseThrow()
        - starts.stream().mapToLong(Long::longValue).min().orElseThrow();
    // probed one after another, each would start only after the previous one's timeout had run out
    assertThat(spread).as("nanoseconds between the first and the last start").isLessThan(timeout.toNanos());
  }

  @Test
  void nothingToProbeIsAnEmptyReport() {
    assertThat(probe(Duration.ofSeconds(1)).probe(List.of())).isEqualTo(ProbeReport.empty());
  }
}
