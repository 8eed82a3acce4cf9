package io.attune.worker.bootstrap.cli;

import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.bootstrap.wiring.Services;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.StopSignals;

/**
 * A client command's broker, connected only when a message is to be sent: the announcement of a new execution, a
 * stop request for the worker of a running one, or the announcement that one ended (cancelled before it ran). What
 * such a message says is stored first, so a broker that cannot be reached delays the system and loses nothing.
 */
final class BrokerOnDemand implements StopSignals, ExecutionEvents, AutoCloseable {

  private final AttuneCommand parent;
  private final String connectionName;
  private RabbitAdapter rabbit;

  /** @param connectionName the command, as the broker's connection list shows it */
  BrokerOnDemand(AttuneCommand parent, String connectionName) {
    this.parent = parent;
    this.connectionName = connectionName;
  }

  @Override
  public void requestStop(Execution execution) {
    broker().stopSignals().requestStop(execution);
  }

  @Override
  public void requested(Execution requested) {
    broker().events().requested(requested);
  }

  @Override
  public void ended(Execution ended) {
    try {
      broker().events().ended(ended);
    } catch (InfrastructureException notAnnounced) {
      // the store holds the end: a listener that missed the announcement reads it there
      parent.err().println("warning: the end of execution " + ended.id() + " is stored but not announced ("
          + notAnnounced.getMessage() + ")");
    }
  }

  private RabbitAdapter broker() {
    if (rabbit == null) {
      try {
        rabbit = Services.rabbit(parent.config(), parent.clock(), connectionName);
      } catch (ConfigurationException noBroker) {
        throw new InfrastructureException("connect to RabbitMQ", noBroker.getMessage(), noBroker);
      }
    }
    return rabbit;
  }

  @Override
  public void close() {
    if (rabbit != null) {
      try {
        rabbit.close();
      } catch (InfrastructureException ignored) {
        // closing a connection that failed: nothing left to release
      }
    }
  }
}
