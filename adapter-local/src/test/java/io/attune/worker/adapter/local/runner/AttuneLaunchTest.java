package io.attune.worker.adapter.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher {@code attune-launch} on its own: exit statuses, argument errors, stopping, and a fork loop. */
class AttuneLaunchTest {

  private static Path launcher;

  @TempDir
  Path root;

  @BeforeAll
  static void findTheLauncher() {
    PackFixture.assumeALauncher();
    launcher = ActionLauncher.find(Map.of()).launcher().orElseThrow().binary();
  }

  /** What one run of the launcher gave. */
  private record Run(int status, String stdout, String stderr) {
  }

  private Run launch(String... arguments) throws IOException, InterruptedException {
    Process process = start(arguments);
    assertThat(process.waitFor(PackFixture.PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the launcher ended").isTrue();
    return new Run(process.exitValue(), Files.readString(root.resolve("out")), Files.readString(root.resolve("err")));
  }

  private Process start(String... arguments) throws IOException {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
        .redirectOutput(root.resolve("out").toFile()).redirectError(root.resolve("err").toFile());
    Process process = builder.start();
    process.getOutputStream().close();
    return process;
  }

  @Test
  void theLauncherOfTheJarIsExtractedIntoAFolderOnlyThisUserCanEnter() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(launcher, LinkOption.NOFOLLOW_LINKS)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(launcher.getParent())))
        .isEqualTo("rwx------");
    assertThat(ActionLauncher.find(Map.of()).launcher().orElseThrow().binary()).as("extracted once")
        .isEqualTo(launcher);
  }

  @Test
  void aLauncherNamedInTheWorkerEnvironmentIsUsedInstead() throws Exception {
    Path own = Files.copy(launcher, root.resolve("my-launch"));

    ActionLauncher.Lookup lookup = ActionLauncher.find(Map.of(ActionLauncher.OVERRIDE, own.toString()));

    assertThat(lookup.launcher().orElseThrow().binary()).isEqualTo(own);
    assertThat(lookup.warning()).isEmpty();
  }

  @Test
  void aLauncherNamedInTheWorkerEnvironmentThatIsNoLauncherGivesWayToTheJarsWithAWarning() throws Exception {
    Path impostor = Files.writeString(root.resolve("impostor"), "#!/bin/sh\necho something else\n");
    Files.setPosixFilePermissions(impostor, PosixFilePermissions.fromString("rwx------"));

    ActionLauncher.Lookup missing = ActionLauncher.find(Map.of(ActionLauncher.OVERRIDE, "/no/such/launcher"));
    ActionLauncher.Lookup wrong = ActionLauncher.find(Map.of(ActionLauncher.OVERRIDE, impostor.toString()));

    assertThat(missing.launcher().orElseThrow().binary()).isEqualTo(launcher);
    assertThat(missing.warning()).get().asString().contains("ATTUNE_ACTION_LAUNCHER=/no/such/launcher",
        "not an executable file", "using the launcher in the jar");
    assertThat(wrong.launcher().orElseThrow().binary()).isEqualTo(launcher);
    assertThat(wrong.warning()).get().asString().contains("answered 'something else'");
  }

  @Test
  void foldersLeftByKilledJvmsAreRemovedAndOthersStay() throws Exception {
    Process finished = new ProcessBuilder("true").start();
    finished.waitFor();
    long dead = finished.pid();
    long self = Long.MAX_VALUE; // stands for this JVM: a folder named after it is a predecessor's
    Path deadJvms = launcherFolder("attune-launch-" + dead + "-1");
    Path predecessor = launcherFolder("attune-launch-" + self + "-2");
    Path running = launcherFolder("attune-launch-" + ProcessHandle.current().pid() + "-3");
    Path holdingMore = launcherFolder("attune-launch-" + dead + "-4");
    Files.writeString(holdingMore.resolve("notes"), "not the launcher's");
    Path unrelated = Files.createDirectories(root.resolve("attune-launch-notes"));

    LauncherExtraction.removeLeftOvers(root, self);

    assertThat(deadJvms).doesNotExist();
    assertThat(predecessor).doesNotExist();
    assertThat(running.resolve("attune-launch")).exists();
    assertThat(holdingMore.resolve("notes")).exists();
    assertThat(unrelated).exists();
  }

  private Path launcherFolder(String name) throws IOException {
    Path folder = Files.createDirectories(root.resolve(name));
    Files.writeString(folder.resolve("attune-launch"), "a launcher");
    return folder;
  }

  @Test
  void theActionsExitStatusIsTheLaunchers() throws Exception {
    assertThat(launch("--", "sh", "-c", "echo ran").status()).isZero();
    assertThat(launch("--", "sh", "-c", "exit 3").status()).isEqualTo(3);
    assertThat(launch("--grace-ms", "100", "--chdir", "/", "--", "sh", "-c", "exit 255").status()).isEqualTo(255);
  }

  @Test
  void anActionEndedByASignalGivesOneHundredTwentyEightPlusTheSignalLikeAShell() throws Exception {
    assertThat(launch("--", "sh", "-c", "kill -KILL $$").status()).isEqualTo(128 + 9);
    assertThat(launch("--", "sh", "-c", "kill -TERM $$").status()).isEqualTo(128 + 15);
  }

  @Test
  void theActionGetsTheStandardStreamsTheArgumentsAndTheWorkingDirectory() throws Exception {
    Run run = launch("--chdir", "/usr", "--", "sh", "-c", "pwd; echo \"$1\"; echo oops >&2", "sh", "two words");

    assertThat(run.stdout()).isEqualTo("/usr\ntwo words\n");
    assertThat(run.stderr()).isEqualTo("oops\n");
  }

  @Test
  void wrongArgumentsAreTheLaunchersOwnFailureWithAMessage() throws Exception {
    Run noSeparator = launch("sh", "-c", "true");
    Run noProgram = launch("--grace-ms", "10", "--");
    Run badGrace = launch("--grace-ms", "soon", "--", "true");
    Run missingValue = launch("--user");

    assertThat(List.of(noSeparator, noProgram, badGrace, missingValue)).allSatisfy(run -> {
      assertThat(run.status()).isEqualTo(125);
      assertThat(run.stderr()).startsWith("attune-launch: ");
    });
    assertThat(badGrace.stderr()).contains("--grace-ms soon: expected milliseconds");
    assertThat(noSeparator.stderr()).contains("unknown option 'sh'");
    assertThat(noProgram.stderr()).contains("no program to run");
    assertThat(missingValue.stderr()).contains("--user needs a value");
  }

  @Test
  void aProgramThatCannotRunIsOneHundredTwentySixOrSevenWithAMessage() throws Exception {
    Run missing = launch("--", "/no/such/program");
    Run unknownUser = launch("--user", "no-such-user-here", "--", "true");
    Run notADirectory = launch("--chdir", "/no/such/folder", "--", "true");

    assertThat(missing.status()).isEqualTo(127);
    assertThat(missing.stderr()).startsWith("attune-launch: cannot run /no/such/program");
    assertThat(unknownUser.status()).isEqualTo(126);
    assertThat(unknownUser.stderr()).contains("no user no-such-user-here");
    assertThat(notADirectory.status()).isEqualTo(126);
    assertThat(notADirectory.stderr()).contains("cannot enter working directory /no/such/folder");
    assertThat(ActionLauncher.startFailure(notADirectory.status(), notADirectory.stderr()))
        .hasValueSatisfying(message -> assertThat(message).startsWith("cannot enter working directory"));
  }

  @Test
  void versionSaysWhatItIs() throws Exception {
    Run version = launch("--version");

    assertThat(version.status()).isZero();
    assertThat(version.stdout()).isEqualTo("attune-launch 1\n");
  }

  @Test
  void askedToStopItEndsTheTreeWithinTheGraceOrKillsWhatIgnoresIt() throws Exception {
    Process polite = start("--grace-ms", "60000", "--", "sh", "-c", "echo $$ > polite.pid; sleep 300");
    Process stubborn = start("--grace-ms", "200", "--", "sh", "-c",
        "trap '' TERM; echo $$ > stubborn.pid; while :; do sleep 1; done");
    PackFixture.awaitPid(root.resolve("polite.pid"));
    PackFixture.awaitPid(root.resolve("stubborn.pid"));

    polite.destroy();
    stubborn.destroy();

    assertThat(polite.waitFor(PackFixture.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(polite.exitValue()).as("everything ended within the grace").isEqualTo(128 + 15);
    assertThat(stubborn.waitFor(PackFixture.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(stubborn.exitValue()).as("killed after the grace").isEqualTo(ActionLauncher.KILLED_AFTER_GRACE);
  }

  @Test
  void aForkLoopLeftBehindIsKilledWhole() throws Exception {
    // the action leaves a loop that keeps starting processes (paced, not to flood a shared machine); the launcher
    // ends only once no child is left, and says so when it gives up on one
    Process process = start("--", "sh", "-c", "(while :; do sleep 300 & sleep 0.01; done) & sleep 0.5; echo started");

    assertThat(process.waitFor(PackFixture.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(Files.readString(root.resolve("out"), StandardCharsets.UTF_8)).isEqualTo("started\n");
    assertThat(Files.readString(root.resolve("err"), StandardCharsets.UTF_8)).isEmpty();
  }
}
