package io.attune.worker.adapter.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.port.out.ActionRunner.Outcome;
import io.attune.worker.testsupport.process.Scripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An entry point is what its real path says: a link may point within its pack, never out of it. */
class EntryPointLinkTest {

  private static final ExecutionId EXECUTION = new ExecutionId(9);
  private static final Duration QUICK = Duration.ofSeconds(30);

  @RegisterExtension
  final PackFixture pack = new PackFixture();

  @Test
  void entryPointLinkedToAFileOutsideThePackIsRefusedNamingTheLinkThePackAndTheRealPath() throws Exception {
    // stands for /etc/shadow: a file the worker can read and the pack does not hold
    Path outside = Scripts.write(pack.root.resolve("elsewhere"), "secret.sh", "echo leaked\n");
    Files.createSymbolicLink(pack.actions.resolve("innocent.sh"), outside);

    Outcome outcome = new ProcessActionRunner(pack.settings())
        .run(EXECUTION, PackFixture.action("innocent", "innocent.sh", QUICK), Map.of());

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(outcome.result().message()).contains("'innocent.sh'", "t.innocent", pack.pack.toRealPath().toString(),
        outside.toRealPath().toString());
    assertThat(outcome.result().stdout()).isEmpty();
    assertThat(outcome.result().exitCode()).isEmpty();
  }

  @Test
  void entryPointInAPackFolderThatIsItselfALinkStillRuns() throws Exception {
    // a packs folder made of links (one per pack, as a deployment may mount them) is fine: real paths compare
    Path realPacks = pack.root.resolve("real-packs");
    Files.createDirectories(realPacks);
    Files.move(pack.pack, realPacks.resolve("t"));
    Files.createSymbolicLink(pack.pack, realPacks.resolve("t"));
    Scripts.write(pack.actions, "hello.sh", "echo hello\n");

    Outcome outcome = new ProcessActionRunner(pack.settings())
        .run(EXECUTION, PackFixture.action("hello", "hello.sh", QUICK), Map.of());

    assertThat(outcome.status()).as(outcome.result().toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  @Test
  void entryPointLinkedToAnotherFileOfThePackRuns() throws Exception {
    Scripts.write(pack.pack.resolve("lib"), "shared.sh", "echo shared ran\n");
    Files.createSymbolicLink(pack.actions.resolve("linked.sh"), Path.of("../lib/shared.sh"));

    Outcome outcome = new ProcessActionRunner(pack.settings())
        .run(EXECUTION, PackFixture.action("linked", "linked.sh", QUICK), Map.of());

    assertThat(outcome.status()).as(outcome.result().toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().stdout()).isEqualTo("shared ran\n");
  }
}
