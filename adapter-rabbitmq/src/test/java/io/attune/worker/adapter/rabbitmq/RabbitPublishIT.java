package io.attune.worker.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.adapter.rabbitmq.broker.ResultMessage;
import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.worker.WorkerId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Topology, dispatch routing, publisher confirms and dead-lettering against a real RabbitMQ. */
class RabbitPublishIT {

  private final ObjectMapper json = new ObjectMapper();
  @RegisterExtension
  final ConnectedAdapter mq = new ConnectedAdapter();

  @Test
  void connect_declares_the_shared_topology_and_a_second_connect_accepts_it() {
    assertThat(mq.broker().exists(RabbitTopology.DEAD_LETTER_QUEUE)).isTrue();
    assertThat(mq.broker().exists(RabbitTopology.REQUEST_QUEUE)).isTrue();

    assertThatCode(() -> RabbitAdapter.connect(mq.broker().settings(), Fixtures.CLOCK).close())
        .doesNotThrowAnyException();
  }

  @Test
  void dispatch_reaches_the_chosen_workers_queue_and_no_other() throws Exception {
    WorkerId chosen = TestBroker.uniqueWorker();
    WorkerId other = TestBroker.uniqueWorker();
    mq.adapter().workerQueues().declare(chosen);
    mq.adapter().workerQueues().declare(other);
    mq.adapter().workerQueues().declare(chosen); // idempotent
    Execution execution = Fixtures.scheduledOn(chosen, Map.of("name", "Ada", "count", 3, "tags", List.of("a")));

    mq.adapter().dispatcher().dispatch(execution, Fixtures.worker(chosen));

    assertThat(mq.broker().ready(RabbitTopology.workerQueue(chosen))).isEqualTo(1);
    assertThat(mq.broker().ready(RabbitTopology.workerQueue(other))).isZero();
    assertThat(mq.adapter().workerQueues().pending(chosen)).isEqualTo(1);
    GetResponse delivered = mq.broker().get(RabbitTopology.workerQueue(chosen)).orElseThrow();
    AMQP.BasicProperties props = delivered.getProps();
    assertThat(props.getDeliveryMode()).isEqualTo(2);
    assertThat(props.getContentType()).isEqualTo("application/json");
    assertThat(props.getType()).isEqualTo("execution.dispatch");
    assertThat(props.getTimestamp().toInstant()).isEqualTo(Fixtures.NOW);
    assertThat(delivered.getEnvelope().getRoutingKey()).isEqualTo(RabbitTopology.dispatchRoutingKey(chosen));
    JsonNode envelope = json.readTree(delivered.getBody());
    assertThat(envelope.get("message_id").asText()).isEqualTo(props.getMessageId());
    assertThat(envelope.get("message_type").asText()).isEqualTo("execution.dispatch");
    assertThat(envelope.get("timestamp").asText()).isEqualTo("2026-03-01T10:15:30Z");
    JsonNode payload = envelope.get("payload");
    assertThat(payload.get("execution_id").asLong()).isEqualTo(execution.id().value());
    assertThat(payload.get("attempt").asInt()).isEqualTo(1);
    assertThat(payload.get("action_ref").asText()).isEqualTo("core.echo");
    assertThat(payload.has("parameters")).as("ids only: the worker reads the parameters from the database").isFalse();
  }

  @Test
  void dispatch_to_a_worker_without_a_queue_fails_instead_of_vanishing() {
    WorkerId queueless = TestBroker.uniqueWorker();
    Execution execution = Fixtures.scheduledOn(queueless, Map.of());

    assertThatThrownBy(() -> mq.adapter().dispatcher().dispatch(execution, Fixtures.worker(queueless)))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("dispatch execution " + execution.id())
        .hasMessageContaining("unroutable")
        .hasMessageContaining(RabbitTopology.dispatchRoutingKey(queueless));
    // the adapter stays usable after a returned message
    WorkerId fine = TestBroker.uniqueWorker();
    mq.adapter().workerQueues().declare(fine);
    mq.adapter().dispatcher().dispatch(Fixtures.scheduledOn(fine, Map.of()), Fixtures.worker(fine));
    assertThat(mq.broker().ready(RabbitTopology.workerQueue(fine))).isEqualTo(1);
  }

  @Test
  void a_publish_the_broker_refuses_to_confirm_fails_so_publisher_confirms_are_awaited() {
    // a queue that takes nothing and says so: the broker routes the message, then sends basic.nack
    WorkerId full = TestBroker.uniqueWorker();
    String queue = RabbitTopology.workerQueue(full);
    mq.broker().withChannel(channel -> {
      channel.queueDeclare(queue, false, false, true, Map.of("x-max-length", 0, "x-overflow", "reject-publish"));
      channel.queueBind(queue, RabbitTopology.EXECUTIONS_EXCHANGE, RabbitTopology.dispatchRoutingKey(full));
      return null;
    });
    Execution execution = Fixtures.scheduledOn(full, Map.of());

    assertThatThrownBy(() -> mq.adapter().dispatcher().dispatch(execution, Fixtures.worker(full)))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("did not accept");
    mq.broker().withChannel(channel -> channel.queueDelete(queue));
  }

  @Test
  void a_worker_queue_dead_letters_what_a_consumer_rejects_and_what_expires() throws Exception {
    WorkerId worker = TestBroker.uniqueWorker();
    mq.adapter().workerQueues().declare(worker);
    Execution rejected = Fixtures.scheduledOn(worker, Map.of());
    mq.adapter().dispatcher().dispatch(rejected, Fixtures.worker(worker));
    GetResponse taken = mq.broker().withChannel(channel -> {
      GetResponse response = channel.basicGet(RabbitTopology.workerQueue(worker), false);
      channel.basicReject(response.getEnvelope().getDeliveryTag(), false);
      return response;
    });
    String rejectedId = taken.getProps().getMessageId();

    GetResponse deadRejected = mq.broker().awaitDeadLetter(r -> rejectedId.equals(r.getProps().getMessageId()));
    assertThat(deathReason(deadRejected)).isEqualTo("rejected");

    mq.broker().withChannel(channel -> {
      channel.confirmSelect();
      channel.basicPublish(RabbitTopology.EXECUTIONS_EXCHANGE, RabbitTopology.dispatchRoutingKey(worker), true,
          new AMQP.BasicProperties.Builder().messageId("expiring-" + worker).expiration("1").build(),
          "{}".getBytes(StandardCharsets.UTF_8));
      channel.waitForConfirmsOrDie(5_000);
      return null;
    });
    GetResponse deadExpired = mq.broker().awaitDeadLetter(r -> ("expiring-" + worker).equals(r.getProps().getMessageId()));
    assertThat(deathReason(deadExpired)).isEqualTo("expired");
  }

  @Test
  void results_and_requests_are_confirmed_and_invalid_results_are_refused() {
    ExecutionId id = Fixtures.nextExecutionId();
    mq.broker().purge(RabbitTopology.REQUEST_QUEUE);

    mq.adapter().requests().publish(id);
    mq.adapter().results().publish(id, 1, ExecutionStatus.SUCCEEDED); // nobody listens: fine, not mandatory

    assertThat(mq.broker().ready(RabbitTopology.REQUEST_QUEUE)).isEqualTo(1);
    assertThatThrownBy(() -> mq.adapter().results().publish(id, 1, ExecutionStatus.RUNNING))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not terminal");
  }

  @Test
  void requests_and_announced_results_are_transient_since_the_database_holds_what_they_say() throws Exception {
    ExecutionId id = Fixtures.nextExecutionId();
    mq.broker().purge(RabbitTopology.REQUEST_QUEUE);
    BlockingQueue<ResultMessage> heard = new LinkedBlockingQueue<>();
    try (Subscription listening = mq.adapter().consumeResults(r -> {
      if (r.executionId().equals(id)) {
        heard.add(r);
      }
    })) {
      mq.adapter().requests().publish(id);
      mq.adapter().results().announce(Fixtures.endedAs(id, ExecutionStatus.FAILED));

      ResultMessage result = heard.poll(10, TimeUnit.SECONDS);
      assertThat(result).isNotNull();
      assertThat(result.executionId()).isEqualTo(id);
      assertThat(result.status()).isEqualTo("failed");
    }
    GetResponse request = mq.broker().get(RabbitTopology.REQUEST_QUEUE).orElseThrow();
    assertThat(request.getProps().getDeliveryMode()).isEqualTo(1);
    assertThat(request.getProps().getType()).isEqualTo("execution.request");
  }

  @Test
  void a_conflicting_queue_declaration_is_an_infrastructure_error_and_the_adapter_carries_on() {
    WorkerId clashing = TestBroker.uniqueWorker();
    String queue = RabbitTopology.workerQueue(clashing);
    mq.broker().withChannel(channel -> channel.queueDeclare(queue, false, false, true, null)); // no dead-letter argument

    assertThatThrownBy(() -> mq.adapter().workerQueues().declare(clashing))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("declare queue " + queue)
        .hasMessageContaining("PRECONDITION_FAILED");
    WorkerId fine = TestBroker.uniqueWorker();
    mq.adapter().workerQueues().declare(fine);
    assertThat(mq.broker().exists(RabbitTopology.workerQueue(fine))).isTrue();
    mq.broker().withChannel(channel -> channel.queueDelete(queue));
  }

  @Test
  void deleting_a_worker_queue_makes_later_dispatches_to_it_fail() {
    WorkerId worker = TestBroker.uniqueWorker();
    mq.adapter().workerQueues().declare(worker);
    mq.adapter().workerQueues().delete(worker);

    assertThat(mq.broker().exists(RabbitTopology.workerQueue(worker))).isFalse();
    assertThatThrownBy(() -> mq.adapter().dispatcher().dispatch(Fixtures.scheduledOn(worker, Map.of()),
        Fixtures.worker(worker))).isInstanceOf(InfrastructureException.class).hasMessageContaining("unroutable");
    assertThatThrownBy(() -> mq.adapter().workerQueues().pending(worker)).isInstanceOf(InfrastructureException.class)
        .hasMessageContaining(RabbitTopology.workerQueue(worker));
  }

  @Test
  void publishing_after_close_fails_with_an_infrastructure_error() {
    mq.adapter().close();

    assertThat(mq.adapter().isOpen()).isFalse();
    assertThatThrownBy(() -> mq.adapter().requests().publish(Fixtures.nextExecutionId()))
        .isInstanceOf(InfrastructureException.class).hasMessageContaining("closed");
  }

  @SuppressWarnings("unchecked")
  private static String deathReason(GetResponse response) {
    List<Map<String, Object>> deaths = (List<Map<String, Object>>) response.getProps().getHeaders().get("x-death");
    return deaths.get(0).get("reason").toString();
  }
}
