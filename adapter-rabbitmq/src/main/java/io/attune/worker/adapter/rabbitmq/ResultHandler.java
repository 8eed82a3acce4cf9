package io.attune.worker.adapter.rabbitmq;

/** Receives the notification that an execution ended; the same acknowledgement rules as {@link DispatchHandler}. */
@FunctionalInterface
public interface ResultHandler {
  void handle(ResultMessage result) throws Exception;
}
