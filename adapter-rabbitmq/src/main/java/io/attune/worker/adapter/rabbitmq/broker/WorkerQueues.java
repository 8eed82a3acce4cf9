package io.attune.worker.adapter.rabbitmq.broker;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.worker.WorkerId;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-worker queues {@code worker.{id}.executions}: durable, dead-lettered, and expiring once their worker has
 * been gone for the settings' {@code workerQueueExpiry} ({@code x-expires}).
 */
public final class WorkerQueues {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerQueues.class);

  private final BrokerConnection broker;
  private final TopologyChannel topology;

  public WorkerQueues(BrokerConnection broker, TopologyChannel topology) {
    this.broker = broker;
    this.topology = topology;
  }

  /**
   * Declares the worker's durable queue {@code worker.{id}.executions} and binds it with
   * {@code execution.dispatch.worker.{id}} (idempotent). A worker calls it before it registers, so nothing
   * dispatched to it is lost.
   */
  public void declare(WorkerId worker) {
    Objects.requireNonNull(worker, "worker");
    String queue = RabbitTopology.workerQueue(worker);
    Map<String, Object> arguments = new HashMap<>(TopologyChannel.deadLettered());
    arguments.put("x-expires", (int) broker.settings().workerQueueExpiry().toMillis());
    try {
      topology.run("declare queue " + queue, channel -> channel.queueDeclare(queue, true, false, false, arguments));
    } catch (InfrastructureException refused) {
      if (!String.valueOf(refused.getMessage()).contains("x-expires")) {
        throw refused;
      }
      // declared by an older version, without an expiry: keep using it as it is (RabbitMQ cannot change a queue's
      // arguments); deleting it would lose what it holds. It expires once an operator re-creates it.
      LOG.warn("queue {} exists without x-expires (declared by an older version): used as it is", queue);
      topology.run("check queue " + queue, channel -> channel.queueDeclarePassive(queue));
    }
    topology.run("bind queue " + queue, channel -> channel.queueBind(queue, RabbitTopology.EXECUTIONS_EXCHANGE,
        RabbitTopology.dispatchRoutingKey(worker)));
  }

  /**
   * Deletes the worker's queue and whatever is still in it: for a worker that is gone for good. The executions it
   * held are still in the database; recover them there.
   */
  public void delete(WorkerId worker) {
    Objects.requireNonNull(worker, "worker");
    String queue = RabbitTopology.workerQueue(worker);
    topology.run("delete queue " + queue, channel -> channel.queueDelete(queue));
  }

  /**
   * The number of dispatches waiting in the worker's queue (not counting those delivered and not yet
   * acknowledged).
   *
   * @throws InfrastructureException also when the queue does not exist
   */
  public long pending(WorkerId worker) {
    Objects.requireNonNull(worker, "worker");
    String queue = RabbitTopology.workerQueue(worker);
    String operation = "count messages in " + queue;
    // a passive declare of a missing queue closes its channel: use a throwaway one
    try (Channel channel = broker.connection().createChannel()) {
      return channel.queueDeclarePassive(queue).getMessageCount();
    } catch (IOException | TimeoutException | ShutdownSignalException e) {
      throw new InfrastructureException(operation, Publisher.describe(e), e);
    }
  }
}
