package io.attune.worker.adapter.rabbitmq.in;

import com.rabbitmq.client.Delivery;
import io.attune.worker.adapter.rabbitmq.broker.MalformedMessageException;
import io.attune.worker.adapter.rabbitmq.broker.ReturnedMessageException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What becomes of one delivery. On the client's dispatch thread: one that arrives after the cancel goes back to the
 * queue untouched; one whose body is larger than the cap is dead-lettered unread, one that cannot be read is
 * dead-lettered with the reason; any other is handed to the handler pool. On the pool: it is acknowledged once its
 * handler returned; a handler that refuses it has it dead-lettered, one that hands it back has it requeued, and one
 * that fails has it requeued the first time and dead-lettered when it fails again on redelivery.
 *
 * @param <T> what the handler receives
 */
final class DeliveryHandling<T> {

  /** The subscription's logger: these lines are the consumer's, as they were before it was split into parts. */
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerSubscription.class);

  private final String queue;
  private final int maxMessageBytes;
  private final ConsumerSubscription.Reader<T> reader;
  private final ConsumerSubscription.Handler<T> handler;
  private final Settlement settlement;
  /** Runs each handler, counted while in flight. */
  private final Executor handlers;
  private final BooleanSupplier closed;
  /** The subscribing thread's log context (e.g. the worker's name), on every handler's thread too. */
  private final Map<String, String> logContext;

  DeliveryHandling(String queue, int maxMessageBytes, ConsumerSubscription.Reader<T> reader,
      ConsumerSubscription.Handler<T> handler, Settlement settlement, Executor handlers, BooleanSupplier closed) {
    this.queue = queue;
    this.maxMessageBytes = maxMessageBytes;
    this.reader = Objects.requireNonNull(reader, "reader");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.settlement = settlement;
    this.handlers = handlers;
    this.closed = closed;
    // the subscription is built on the subscribing thread
    this.logContext = Optional.ofNullable(MDC.getCopyOfContextMap()).orElseGet(Map::of);
  }

  /** Runs on the client's dispatch thread: reads quickly, hands the work to the pool. */
  void take(Delivery delivery) {
    if (closed.getAsBoolean()) {
      // arrived after the cancel: give it back untouched for another consumer
      settlement.requeue(delivery);
      return;
    }
    byte[] body = delivery.getBody();
    int size = body == null ? 0 : body.length;
    if (size > maxMessageBytes) {
      // refused unread: parsing is what the cap protects; the connection stays, the consumer goes on
      settlement.deadLetter(delivery, "oversized: " + size + " bytes, more than the cap of " + maxMessageBytes
          + " bytes");
      return;
    }
    T message;
    try {
      message = reader.read(body);
    } catch (MalformedMessageException e) {
      settlement.deadLetter(delivery, "malformed message: " + e.reason());
      return;
    }
    try {
      handlers.execute(() -> run(message, delivery));
    } catch (RejectedExecutionException e) {
      settlement.requeue(delivery);
    }
  }

  private void run(T message, Delivery delivery) {
    MDC.setContextMap(logContext);
    try {
      handler.handle(message);
      settlement.acknowledge(delivery);
    } catch (RefusedMessageException refused) {
      settlement.deadLetter(delivery, refused.getMessage());
    } catch (ReturnedMessageException returned) {
      LOG.warn("message {} from {} handed back to the queue: {}", delivery.getProperties().getMessageId(), queue,
          returned.getMessage());
      settlement.requeue(delivery);
    } catch (Exception | Error failure) {
      if (delivery.getEnvelope().isRedeliver()) {
        settlement.deadLetter(delivery, "handler failed again on redelivery: " + failure);
      } else {
        LOG.warn("handler failed on message {} from {}; it will be delivered again: {}",
            settlement.messageId(delivery), queue, failure.toString());
        settlement.requeue(delivery);
      }
      if (failure instanceof Error error) {
        throw error;
      }
    } finally {
      MDC.clear();
    }
  }
}
