package io.attune.worker.core.adapter.out.memory;

import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.in.RunExecutionUseCase;
import io.attune.worker.core.port.in.StopExecutionUseCase;
import io.attune.worker.core.port.out.DispatchInbox;
import io.attune.worker.core.port.out.Dispatcher;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Hands executions to workers in the same JVM: each worker subscribes a consumer, which should return quickly
 * (queue the work on its own executor), or {@linkplain #open opens} its inbox, which runs each dispatch on a pool of
 * its own. Thread-safe. Stop requests are not carried: a worker finds them in the store.
 */
public final class InProcessDispatcher implements Dispatcher, DispatchInbox {

  private final Map<WorkerId, Consumer<Execution>> consumers = new ConcurrentHashMap<>();

  /** Routes the worker's executions to the consumer, replacing an earlier one. */
  public void subscribe(WorkerId worker, Consumer<Execution> consumer) {
    consumers.put(worker, consumer);
  }

  /** Stops routing to the worker; later dispatches to it fail. */
  public void unsubscribe(WorkerId worker) {
    consumers.remove(worker);
  }

  @Override
  public Intake open(WorkerId worker, int slots, RunExecutionUseCase runs, StopExecutionUseCase stops) {
    InProcessIntake intake = new InProcessIntake(worker, slots, runs, () -> unsubscribe(worker));
    subscribe(worker, intake::take);
    return intake;
  }

  @Override
  public void dispatch(Execution execution, Worker worker) {
    Consumer<Execution> consumer = consumers.get(worker.id());
    if (consumer == null) {
      throw new InfrastructureException("dispatch execution " + execution.id(),
          "worker " + worker.name() + " has no subscribed consumer in this process");
    }
    consumer.accept(execution);
  }
}
