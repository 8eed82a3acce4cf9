package io.attune.worker.bootstrap.demo;

import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.adapter.out.memory.InProcessDispatcher;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.port.out.ExecutionEvents;
import java.util.concurrent.LinkedBlockingQueue;

/** The in-memory system the demo runs on, and the ids of the executions that ended, as the workers announce them. */
record EmbeddedSystem(InMemoryWorkerRegistry registry, InMemoryExecutionStore store,
    InProcessDispatcher dispatcher, LinkedBlockingQueue<ExecutionId> finished) {

  /** The workers' announcements: each end a worker records puts its execution in {@link #finished}. */
  ExecutionEvents ends() {
    return new ExecutionEvents() {
      @Override
      public void requested(Execution requested) {
      }

      @Override
      public void ended(Execution ended) {
        finished.add(ended.id());
      }
    };
  }

  static EmbeddedSystem create() {
    InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
    return new EmbeddedSystem(registry, new InMemoryExecutionStore(registry), new InProcessDispatcher(),
        new LinkedBlockingQueue<>());
  }
}
