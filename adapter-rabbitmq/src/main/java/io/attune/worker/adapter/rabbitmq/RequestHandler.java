package io.attune.worker.adapter.rabbitmq;

import io.attune.worker.core.model.execution.ExecutionId;

/**
 * Takes one execution request off the scheduler's inbox; the same acknowledgement rules as {@link DispatchHandler}.
 */
@FunctionalInterface
public interface RequestHandler {
  void handle(ExecutionId executionId) throws Exception;
}
