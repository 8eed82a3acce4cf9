package io.attune.worker.adapter.rabbitmq.in;

import io.attune.worker.adapter.rabbitmq.broker.ResultMessage;




/**
 * Receives the notification that an execution ended: acknowledged once it returns, delivered again when it throws,
 * dead-lettered when it throws a second time.
 */
@FunctionalInterface
public interface ResultHandler {
  void handle(ResultMessage result) throws Exception;
}
