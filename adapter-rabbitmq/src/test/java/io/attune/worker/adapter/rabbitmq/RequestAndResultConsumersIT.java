package io.attune.worker.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.adapter.rabbitmq.broker.ResultMessage;
import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The scheduler's inbox, which hands requests to the core's use case, and the result subscribers. */
class RequestAndResultConsumersIT {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @RegisterExtension
  final ConnectedAdapter mq = new ConnectedAdapter();

  @Test
  void the_scheduler_inbox_hands_published_requests_to_the_use_case_and_reports_what_it_did() {
    mq.broker().purge(RabbitTopology.REQUEST_QUEUE);
    ExecutionId id = Fixtures.nextExecutionId();
    List<ExecutionId> received = new CopyOnWriteArrayList<>();
    List<Scheduling> outcomes = new CopyOnWriteArrayList<>();
    Subscription subscription = mq.track(mq.adapter().consumeRequests(2, requested -> {
      received.add(requested);
      return new Scheduling.Skipped(requested, "scripted");
    }, outcomes::add));

    mq.adapter().requests().publish(id);

    await().atMost(PATIENCE).until(() -> received.contains(id));
    subscription.close();
    assertThat(subscription.awaitInFlight(PATIENCE)).isTrue();
    assertThat(outcomes).containsExactly(new Scheduling.Skipped(id, "scripted"));
    assertThat(mq.broker().ready(RabbitTopology.REQUEST_QUEUE)).isZero();
  }

  @Test
  void a_request_whose_scheduling_fails_on_the_infrastructure_is_acknowledged_for_the_sweep_to_retry() {
    mq.broker().purge(RabbitTopology.REQUEST_QUEUE);
    ExecutionId id = Fixtures.nextExecutionId();
    List<ExecutionId> received = new CopyOnWriteArrayList<>();
    List<Scheduling> outcomes = new CopyOnWriteArrayList<>();
    Subscription subscription = mq.track(mq.adapter().consumeRequests(1, requested -> {
      received.add(requested);
      throw new InfrastructureException("place execution " + requested, "PostgreSQL is restarting");
    }, outcomes::add));

    mq.adapter().requests().publish(id);

    await().atMost(PATIENCE).until(() -> received.contains(id));
    subscription.close();
    assertThat(subscription.awaitInFlight(PATIENCE)).isTrue();
    assertThat(received).containsExactly(id);
    assertThat(outcomes).isEmpty();
    assertThat(mq.broker().ready(RabbitTopology.REQUEST_QUEUE)).as("acknowledged, not requeued").isZero();
  }

  @Test
  void every_result_subscriber_sees_every_result_on_a_queue_of_its_own() {
    ExecutionId one = Fixtures.nextExecutionId();
    ExecutionId two = Fixtures.nextExecutionId();
    Map<String, List<ResultMessage>> seen = new ConcurrentHashMap<>();
    Subscription scheduler = mq.track(mq.adapter().consumeResults(r -> seen.computeIfAbsent("scheduler",
        k -> new CopyOnWriteArrayList<>()).add(r)));
    Subscription cli = mq.track(mq.adapter().consumeResults(r -> seen.computeIfAbsent("cli",
        k -> new CopyOnWriteArrayList<>()).add(r)));

    mq.adapter().results().publish(one, 1, ExecutionStatus.FAILED);
    mq.adapter().results().publish(two, 0, ExecutionStatus.UNSCHEDULABLE);

    await().atMost(PATIENCE).until(() -> seen.getOrDefault("scheduler", List.of()).size() == 2
        && seen.getOrDefault("cli", List.of()).size() == 2);
    assertThat(seen.get("scheduler")).containsExactlyInAnyOrder(new ResultMessage(one, 1, "failed"),
        new ResultMessage(two, 0, "unschedulable"));
    assertThat(seen.get("cli")).containsExactlyInAnyOrderElementsOf(seen.get("scheduler"));
    assertThat(scheduler.queue()).startsWith(RabbitTopology.RESULT_QUEUE_PREFIX).isNotEqualTo(cli.queue());

    cli.close();
    assertThat(cli.awaitInFlight(PATIENCE)).isTrue();
    assertThat(mq.broker().exists(cli.queue())).as("a subscriber's own queue goes with it").isFalse();
  }
}
