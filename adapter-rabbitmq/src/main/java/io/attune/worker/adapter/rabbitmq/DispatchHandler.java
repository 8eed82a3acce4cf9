package io.attune.worker.adapter.rabbitmq;

/**
 * Takes one dispatched execution off a worker's queue.
 *
 * <p>Return normally once the execution is safely recorded (the message is then acknowledged and gone); throw to
 * have it delivered again. A message whose handling fails a second time goes to the dead-letter queue.
 */
@FunctionalInterface
public interface DispatchHandler {
  void handle(DispatchMessage message) throws Exception;
}
