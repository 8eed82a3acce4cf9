package io.attune.worker.bootstrap.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import io.attune.worker.bootstrap.docs.JoinAFleetExample;
import io.attune.worker.core.embed.EmbeddedWorker;
import io.attune.worker.core.model.action.ParameterCap;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.port.in.SubmitExecutionUseCase.Submission;
import io.attune.worker.core.service.SubmitExecutionService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example of docs/embedding.md, run as written: a JVM service joins a fleet whose scheduler is
 * {@code attune-worker scheduler} from the jar, and the scheduler places the service's action on it.
 */
class JoinAFleetExampleIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir
  Path work;

  @Test
  void the_embedded_worker_of_the_guide_runs_what_the_scheduler_from_the_jar_places_on_it() throws Exception {
    try (IsolatedSystem system = IsolatedSystem.create("join_fleet", work)) {
      system.scheduler("scheduler");
      Execution ended;
      try (RabbitAdapter rabbit = RabbitAdapter.connect(new RabbitSettings(system.mqUrl(), "billing-1"),
          system.db().clock()); EmbeddedWorker worker = JoinAFleetExample.join(system.db(), rabbit)) {
        Submission submitted = new SubmitExecutionService(JoinAFleetExample.ACTIONS, system.db().executions(),
            system.db().clock(), ParameterCap.NONE, rabbit.events()).submit("billing.invoice",
            Map.of("customer", "ACME"));
        assertThat(submitted).isInstanceOf(Submission.Accepted.class);
        ended = system.awaitEnded(((Submission.Accepted) submitted).execution().id(), PATIENCE);

        assertThat(ended.worker()).contains(worker.worker().id());
      }
      assertThat(ended.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(ended.result().map(ExecutionResult::message)).contains("invoiced ACME");
      assertThat(system.db().directory().byName("billing-1").map(w -> w.status()))
          .as("closed: drained and marked inactive").contains(WorkerStatus.INACTIVE);
    }
  }
}
