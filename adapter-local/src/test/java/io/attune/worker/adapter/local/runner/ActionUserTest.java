package io.attune.worker.adapter.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.attune.worker.adapter.local.runner.ActionUser.Choice;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.port.out.ActionRunner.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Who actions run as: the rule for root and other workers, and the runner following it on this machine. */
class ActionUserTest {

  private static final ExecutionId EXECUTION = new ExecutionId(12);
  private static final Duration QUICK = Duration.ofSeconds(30);

  @RegisterExtension
  final PackFixture pack = new PackFixture();

  @Test
  void aRootWorkerRunsActionsAsNobodyUnlessTold() {
    assertThat(ActionUser.byDefault().choose(0, "root")).isEqualTo(new Choice(Optional.of("nobody"),
        Optional.empty()));
    assertThat(ActionUser.fromSetting("  ").choose(0, "root").switchTo()).contains("nobody");
    assertThat(ActionUser.fromSetting("actions").choose(0, "root").switchTo()).contains("actions");
    assertThat(ActionUser.fromSetting("1500:1500").choose(0, "root").switchTo()).contains("1500:1500");
  }

  @Test
  void aRootWorkerRunsActionsAsRootOnlyWhenToldSoAndWarns() {
    Choice choice = ActionUser.fromSetting("root").choose(0, "root");

    assertThat(choice.switchTo()).isEmpty();
    assertThat(choice.warning()).get().asString().startsWith("actions run as root, as configured")
        .contains("credentials");
  }

  @Test
  void anotherWorkerRunsActionsAsItsOwnUserAndSaysWhenAConfiguredUserCannotBeHonoured() {
    assertThat(ActionUser.byDefault().choose(1000, "attune")).isEqualTo(new Choice(Optional.empty(),
        Optional.empty()));
    assertThat(ActionUser.named("attune").choose(1000, "attune")).isEqualTo(new Choice(Optional.empty(),
        Optional.empty()));

    Choice ignored = ActionUser.named("nobody").choose(1000, "attune");

    assertThat(ignored.switchTo()).isEmpty();
    assertThat(ignored.warning()).get().asString().contains("'nobody' is ignored", "attune (uid 1000)");
  }

  @Test
  void aSettingThatIsNoUserNameIsRefused() {
    assertThatThrownBy(() -> ActionUser.fromSetting("no body")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'no body'");
    assertThatThrownBy(() -> ActionUser.fromSetting("-rf")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ActionUser.fromSetting("1:")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRootWorkerToldToRunActionsAsRootDoesSoAndWarns() throws Exception {
    assumeTrue(WorkerAccount.current().uid() == 0, "needs a worker running as root");
    ProcessActionRunner runner = new ProcessActionRunner(pack.settings().withActionUser(ActionUser.named("root")));

    Outcome outcome = runner.run(EXECUTION, pack.shellAction("who", "id -u", QUICK), Map.of());

    assertThat(outcome.status()).as(outcome.result().toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.result().stdout().strip()).isEqualTo("0");
    assertThat(runner.actionUser()).isEmpty();
    assertThat(runner.warnings()).anySatisfy(w -> assertThat(w).startsWith("actions run as root"));
  }

  @Test
  void aWorkerThatIsNotRootRunsActionsAsItsOwnUser() throws Exception {
    WorkerAccount worker = WorkerAccount.current();
    assumeTrue(worker.uid() > 0, "needs a worker that is not root; this one runs as root");
    ProcessActionRunner runner = new ProcessActionRunner(pack.settings());

    Outcome outcome = runner.run(EXECUTION, pack.shellAction("who", "id -u", QUICK), Map.of());

    assertThat(outcome.result().stdout().strip()).isEqualTo(Long.toString(worker.uid()));
    assertThat(runner.actionUser()).isEmpty();
    assertThat(runner.warnings()).isEmpty();
  }

  @Test
  void settingsNameTheirActionUser() {
    RunnerSettings settings = RunnerSettings.of(Path.of("packs"), Map.of(), Map.of());

    assertThat(settings.actionUser()).isEqualTo(ActionUser.byDefault());
    assertThat(settings.withActionUser(ActionUser.named("app")).actionUser()).isEqualTo(ActionUser.named("app"));
  }
}
