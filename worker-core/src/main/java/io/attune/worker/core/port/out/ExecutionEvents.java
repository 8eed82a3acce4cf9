package io.attune.worker.core.port.out;

import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.execution.Execution;

/**
 * What the core announces about executions to whoever listens: a new one waits to be placed, and one ended. The core
 * announces each end once, from the use case that recorded it, whatever the end: succeeded, failed, timed out,
 * cancelled before or while running, unschedulable or abandoned. The distributed system announces over RabbitMQ
 * ({@code adapter-rabbitmq}); {@link #NONE} announces nothing, for a process that has no listeners.
 *
 * <p>The store holds what an announcement says, so an announcement saves its listeners a polling round and no more:
 * a listener that missed one reads the store.
 */
public interface ExecutionEvents {

  /** Announces nothing. */
  ExecutionEvents NONE = new ExecutionEvents() {
    @Override
    public void requested(Execution requested) {
    }

    @Override
    public void ended(Execution ended) {
    }
  };

  /**
   * A new execution was stored as requested and waits to be placed.
   *
   * @throws InfrastructureException when it could not be announced; the execution is stored all the same, and a
   *     scheduler's sweep finds it without the announcement
   */
  void requested(Execution requested);

  /**
   * An execution ended: its status is terminal and this process recorded it. Called once per execution. Must be
   * quick and must not throw: an announcement that fails is the implementation's to report.
   */
  void ended(Execution ended);
}
