package io.attune.worker.core.docs;

import static io.attune.worker.core.testkit.ActionFixture.anAction;
import static io.attune.worker.core.testkit.PlacementScenario.given;
import static io.attune.worker.core.testkit.WorkerFixture.aWorker;
import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.placement.PlacementOutcome;
import io.attune.worker.core.model.placement.rule.RejectionCode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TestingSchedulingDocExampleTest {

  @Test
  void a_python_action_goes_to_the_python_worker_and_the_shell_worker_is_rejected() {
    var result = given(
            aWorker("py-1").runtimes("shell", "python").running(3, 10),
            aWorker("sh-1").runtimes("shell"))
        .place(anAction("demo.hello").runtime("python"));

    assertThat(result.outcome()).isEqualTo(PlacementOutcome.SELECTED);
    assertThat(result.selectedName()).contains("py-1");
    assertThat(result.rejectionCodes("sh-1")).containsExactly(RejectionCode.RUNTIME_MISSING);
  }

  @Test
  void a_busy_or_silent_python_fleet_makes_the_action_wait_instead_of_failing() {
    var result = given(
            aWorker("py-1").runtime("python", "3.11.2").running(10, 10),
            aWorker("py-2").runtime("python", "3.11.2").heartbeatAgo(Duration.ofMinutes(5)),
            aWorker("py-old").runtime("python", "3.6.9"))
        .place(anAction("demo.hello").runtime("python").version(">=3.8"));

    assertThat(result.outcome()).isEqualTo(PlacementOutcome.WAIT);
    assertThat(result.rejectionCodes("py-1")).containsExactly(RejectionCode.AT_CAPACITY);
    assertThat(result.rejectionCodes("py-2")).containsExactly(RejectionCode.HEARTBEAT_STALE);
    assertThat(result.rejectionCodes("py-old")).containsExactly(RejectionCode.RUNTIME_VERSION);
  }
}
