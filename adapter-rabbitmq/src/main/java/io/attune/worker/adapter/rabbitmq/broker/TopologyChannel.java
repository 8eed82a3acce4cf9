package io.attune.worker.adapter.rabbitmq.broker;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import io.attune.worker.core.error.InfrastructureException;
import java.io.IOException;
import java.util.Map;

/**
 * Runs declarations on one long-lived channel: the client re-declares what was declared on a channel that is still
 * open when the connection recovers. A declaration the broker refuses closes the channel; the next call opens a
 * fresh one.
 */
public final class TopologyChannel {

  /** A declaration on the channel. */
  @FunctionalInterface
  interface Call<R> {
    R run(Channel channel) throws IOException;
  }

  private final BrokerConnection broker;
  private final Object lock = new Object();
  private Channel channel;

  public TopologyChannel(BrokerConnection broker) {
    this.broker = broker;
  }

  /** The arguments of every durable queue this adapter declares: what it rejects goes to the dead letters. */
  public static Map<String, Object> deadLettered() {
    return Map.of("x-dead-letter-exchange", RabbitTopology.DEAD_LETTER_EXCHANGE);
  }

  /** Declares the exchanges, the dead-letter queue and the scheduler's inbox (idempotently). */
  public void declareShared() {
    run("declare the shared topology", declarations -> {
      declarations.exchangeDeclare(RabbitTopology.EXECUTIONS_EXCHANGE, BuiltinExchangeType.TOPIC, true);
      declarations.exchangeDeclare(RabbitTopology.DEAD_LETTER_EXCHANGE, BuiltinExchangeType.FANOUT, true);
      declarations.queueDeclare(RabbitTopology.DEAD_LETTER_QUEUE, true, false, false, null);
      declarations.queueBind(RabbitTopology.DEAD_LETTER_QUEUE, RabbitTopology.DEAD_LETTER_EXCHANGE, "");
      declarations.queueDeclare(RabbitTopology.REQUEST_QUEUE, true, false, false, deadLettered());
      declarations.queueBind(RabbitTopology.REQUEST_QUEUE, RabbitTopology.EXECUTIONS_EXCHANGE,
          RabbitTopology.REQUEST_ROUTING_KEY);
      return null;
    });
  }

  /** @throws InfrastructureException naming the operation when the broker refuses or is unreachable */
  <R> R run(String operation, Call<R> call) {
    broker.requireOpen(operation);
    synchronized (lock) {
      try {
        if (channel == null || !channel.isOpen()) {
          channel = broker.createChannel(operation);
        }
        return call.run(channel);
      } catch (IOException | ShutdownSignalException e) {
        throw new InfrastructureException(operation, Publisher.describe(e), e);
      }
    }
  }
}
