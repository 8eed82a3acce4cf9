package io.attune.worker.adapter.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.port.out.ActionRunner.Outcome;
import io.attune.worker.testsupport.process.Scripts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker running as root runs its actions as nobody unless configured otherwise: they cannot read what only root
 * may read, the worker's credentials included. Run as root (CI runs as root); skipped otherwise.
 */
class RootWorkerActionUserTest {

  private static final ExecutionId EXECUTION = new ExecutionId(11);
  private static final Duration QUICK = Duration.ofSeconds(30);

  @RegisterExtension
  final PackFixture pack = new PackFixture();

  @BeforeEach
  void onlyAsRootWithALauncher() {
    assumeTrue(WorkerAccount.current().uid() == 0, "these tests need a worker running as root, this one runs as "
        + System.getProperty("user.name"));
    PackFixture.assumeALauncher();
  }

  @Test
  void actionsOfARootWorkerRunAsNobodyByDefault() throws Exception {
    Outcome outcome = new ProcessActionRunner(pack.settings())
        .run(EXECUTION, pack.shellAction("who", "id -u", QUICK), Map.of());

    assertThat(outcome.status()).as(outcome.result().toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().stdout().strip()).isEqualTo(uidOf("nobody"));
  }

  @Test
  void anActionOfARootWorkerCannotReadAFileOnlyRootMayRead() throws Exception {
    Path secret = Scripts.write(pack.root, "credentials", "password=s3cret\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));

    Outcome outcome = new ProcessActionRunner(pack.settings())
        .run(EXECUTION, pack.shellAction("steal", "cat " + secret, QUICK), Map.of());

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(outcome.result().stderr()).contains("Permission denied");
    assertThat(outcome.result().stdout()).doesNotContain("s3cret");
  }

  @Test
  void anActionFolderTheUserCannotEnterIsAFailedOutcomeNamingTheFolderAndTheUser() throws Exception {
    pack.shellAction("private", "echo never", QUICK);
    Files.setPosixFilePermissions(pack.actions, PosixFilePermissions.fromString("rwx------"));

    Outcome outcome = new ProcessActionRunner(pack.settings())
        .run(EXECUTION, PackFixture.action("private", "private.sh", QUICK), Map.of());

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(outcome.result().message()).contains("t.private", pack.actions.toString(), "nobody");
    assertThat(outcome.result().exitCode()).isEmpty();
    assertThat(outcome.result().stdout()).isEmpty();
  }

  @Test
  void anActionRunningAsNobodyHasAHomeItCanUse() {
    Outcome outcome = new ProcessActionRunner(pack.settings()).run(EXECUTION,
        pack.shellAction("home", "cd \"$HOME\" && touch \"attune-home-check-$$\" && rm \"attune-home-check-$$\" "
            + "&& echo \"$HOME\"", QUICK), Map.of());

    assertThat(outcome.status()).as(outcome.result().toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().stdout().strip()).isEqualTo("/tmp");
  }

  /** The uid of a user, as id(1) says. */
  static String uidOf(String user) throws IOException, InterruptedException {
    Process id = new ProcessBuilder("id", "-u", user).start();
    String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(id.waitFor()).isZero();
    return uid;
  }
}
