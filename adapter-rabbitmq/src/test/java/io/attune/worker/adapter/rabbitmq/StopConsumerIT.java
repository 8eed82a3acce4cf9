package io.attune.worker.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.in.StopExecutionUseCase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Stop requests on a real broker: they reach the worker's process named in them, and only it. */
class StopConsumerIT {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @RegisterExtension
  final ConnectedAdapter mq = new ConnectedAdapter();

  /** Records the stops it is handed. */
  private static final class RecordingStops implements StopExecutionUseCase {
    final List<String> stops = new CopyOnWriteArrayList<>();

    @Override
    public boolean stop(ExecutionId execution, int attempt) {
      stops.add(execution + "/" + attempt);
      return true;
    }

    @Override
    public List<ExecutionId> stopCancelled(WorkerId self) {
      return List.of();
    }


    @Override

    public List<ExecutionId> stopWhatIsNoLongerHeld(WorkerId self) {

      return List.of();

    }
  }

  @Test
  void a_stop_request_reaches_the_worker_holding_the_execution_and_no_other() {
    WorkerId holder = TestBroker.uniqueWorker();
    WorkerId other = TestBroker.uniqueWorker();
    RecordingStops atHolder = new RecordingStops();
    RecordingStops atOther = new RecordingStops();
    mq.track(mq.adapter().consumeStops(holder, atHolder));
    mq.track(mq.adapter().consumeStops(other, atOther));
    Execution running = Fixtures.scheduledOn(holder, Map.of());

    mq.adapter().stopSignals().requestStop(running);

    await().atMost(PATIENCE).until(() -> atHolder.stops.size() == 1);
    assertThat(atHolder.stops).containsExactly(running.id() + "/1");
    assertThat(atOther.stops).isEmpty();
  }

  @Test
  void a_stop_request_for_a_worker_no_process_listens_for_fails_and_says_so() {
    Execution running = Fixtures.scheduledOn(TestBroker.uniqueWorker(), Map.of());

    assertThatThrownBy(() -> mq.adapter().stopSignals().requestStop(running))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("stop execution " + running.id());
  }

  @Test
  void a_closed_stop_consumer_gets_nothing_more() {
    WorkerId worker = TestBroker.uniqueWorker();
    RecordingStops stops = new RecordingStops();
    Subscription subscription = mq.adapter().consumeStops(worker, stops);
    subscription.close();
    assertThat(subscription.awaitInFlight(PATIENCE)).isTrue();

    Execution running = Fixtures.scheduledOn(worker, Map.of());
    assertThatThrownBy(() -> mq.adapter().stopSignals().requestStop(running))
        .isInstanceOf(InfrastructureException.class);
    assertThat(stops.stops).isEmpty();
  }
}
