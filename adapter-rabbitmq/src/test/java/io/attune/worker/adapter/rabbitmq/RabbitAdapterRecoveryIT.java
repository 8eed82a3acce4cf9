package io.attune.worker.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.attune.worker.adapter.rabbitmq.broker.ResultMessage;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.worker.WorkerId;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The adapter outlives a broker restart without help: connection, topology and consumers recover. */
class RabbitAdapterRecoveryIT {

  @RegisterExtension
  final ConnectedAdapter mq = new ConnectedAdapter();
  private boolean stopped;

  @AfterEach
  void restartTheNodeIfTheTestLeftItDown() throws IOException {
    if (stopped) {
      TestBroker.ctl("rabbitmqctl", "start_app"); // never leave the node down for the next test class
    }
  }

  @Test
  void consumers_recover_by_themselves_after_a_broker_restart_and_handle_what_is_published_afterwards() {
    WorkerId worker = TestBroker.uniqueWorker();
    ScriptedExecutions executions = ScriptedExecutions.ignoringAfter(call -> { });
    List<ResultMessage> results = new CopyOnWriteArrayList<>();
    mq.adapter().consumeDispatches(worker, 2, executions);
    mq.adapter().consumeResults(results::add);
    Execution before = dispatch(worker);
    await().atMost(Duration.ofSeconds(20)).until(() -> executions.executions().contains(before.id()));

    TestBroker.ctl("rabbitmqctl", "stop_app");
    stopped = true;
    await().atMost(Duration.ofSeconds(30)).until(() -> !mq.adapter().isOpen());
    // a scheduler places nothing while the connection recovers: a dispatch that cannot be sent is no delivery
    assertThat(mq.adapter().dispatcher().blocked()).hasValueSatisfying(why -> assertThat(why).contains("is down"));
    assertThatThrownBy(() -> dispatch(worker)).isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("dispatch execution");
    TestBroker.ctl("rabbitmqctl", "start_app");
    stopped = false;

    Execution after = Fixtures.scheduledOn(worker, Map.of("after", "restart"));
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .ignoreExceptionsInstanceOf(InfrastructureException.class)
        .until(() -> {
          mq.adapter().dispatcher().dispatch(after, Fixtures.worker(worker));
          return true;
        });
    await().atMost(Duration.ofSeconds(60)).until(() -> executions.executions().contains(after.id()));
    ExecutionId ended = Fixtures.nextExecutionId();
    mq.adapter().results().publish(ended, 1, ExecutionStatus.SUCCEEDED);
    await().atMost(Duration.ofSeconds(60)).until(() -> results.contains(new ResultMessage(ended, 1, "succeeded")));

    assertThat(mq.adapter().isOpen()).isTrue();
    assertThat(mq.adapter().dispatcher().blocked()).as("placing resumes once recovered").isEmpty();
    assertThat(executions.executions()).contains(before.id(), after.id());
  }

  private Execution dispatch(WorkerId worker) {
    Execution execution = Fixtures.scheduledOn(worker, Map.of());
    mq.adapter().dispatcher().dispatch(execution, Fixtures.worker(worker));
    return execution;
  }
}
