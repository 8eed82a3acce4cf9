package io.attune.worker.adapter.rabbitmq.in;

import io.attune.worker.adapter.rabbitmq.broker.DispatchMessage;
import io.attune.worker.adapter.rabbitmq.broker.EnvelopeCodec;
import io.attune.worker.adapter.rabbitmq.broker.MessageType;
import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.adapter.rabbitmq.broker.ReturnedMessageException;
import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import io.attune.worker.adapter.rabbitmq.broker.WorkerQueues;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.in.RunExecutionUseCase.Handling;
import io.attune.worker.core.port.in.RunExecutionUseCase;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The worker side: takes the worker's dispatches off its queue, at most its concurrency at a time, runs each through
 * the core's {@link RunExecutionUseCase}, which records how it ended and makes that known.
 *
 * <p>A dispatch is acknowledged once the use case returned (whatever it made of the message); when the use case
 * throws, the message is delivered again, and dead-lettered should it fail a second time.
 */
public final class DispatchConsumer implements Subscription {

  private static final Logger LOG = LoggerFactory.getLogger(DispatchConsumer.class);
  /** The MDC key of the execution being handled; the composition root's JSON logs show it as a field. */
  public static final String EXECUTION_ID_LOG_KEY = "execution_id";

  private final WorkerId self;
  private final RunExecutionUseCase executions;
  private final Set<Thread> running = ConcurrentHashMap.newKeySet();
  private final Subscription subscription;

  private DispatchConsumer(WorkerId self, RunExecutionUseCase executions, Consumers consumers, int slots) {
    this.self = self;
    this.executions = executions;
    // last: deliveries may start before this constructor returns
    this.subscription = consumers.consume(RabbitTopology.workerQueue(self), slots, MessageType.DISPATCH,
        EnvelopeCodec::readDispatch, this::handle);
  }

  /** Declares the worker's queue, then starts consuming it with {@code slots} handlers at most. */
  public static DispatchConsumer start(WorkerId self, int slots, RunExecutionUseCase executions, WorkerQueues queues,
      Consumers consumers) {
    queues.declare(self);
    return new DispatchConsumer(self, executions, consumers, slots);
  }

  private void handle(DispatchMessage message) {
    // every line logged while this execution is handled names it (JSON logs: a field of its own)
    try (MDC.MDCCloseable logged = MDC.putCloseable(EXECUTION_ID_LOG_KEY, message.executionId().toString())) {
      handleLogged(message);
    }
  }

  private void handleLogged(DispatchMessage message) {
    running.add(Thread.currentThread());
    Handling handling;
    try {
      handling = executions.handleDispatch(message.executionId(), message.attempt(), self);
    } finally {
      running.remove(Thread.currentThread());
      Thread.interrupted(); // a cancellation has been handled; the pool thread must not stay interrupted
    }
    if (handling instanceof Handling.Ignored ignored) {
      LOG.info("dispatch of execution {} attempt {} ignored: {}", message.executionId(), message.attempt(),
          ignored.reason());
      return;
    }
    if (handling instanceof Handling.TookOver tookOver) {
      LOG.warn("dispatch of execution {} attempt {}: {}", message.executionId(), message.attempt(), tookOver.reason());
      return;
    }
    if (handling instanceof Handling.Misrouted misrouted) {
      throw new RefusedMessageException("misrouted dispatch: " + misrouted.reason());
    }
    if (handling instanceof Handling.NotHeld notHeld) {
      throw new ReturnedMessageException(notHeld.reason());
    }
    Transition outcome = ((Handling.Ran) handling).outcome();
    if (outcome instanceof Transition.Refused refused) {
      LOG.warn("execution {}: {}", message.executionId(), refused.reason());
      return;
    }
    Execution ended = outcome.execution();
    LOG.info("execution {} ({}) attempt {} {}: {}", ended.id(), ended.actionRef(), ended.attempt(),
        ended.status().wireName(), ended.result().map(ExecutionResult::message).orElse(""));
  }

  /** How many executions run right now. */
  public int running() {
    return running.size();
  }

  /**
   * Interrupts every execution still running: the core ends its process tree and records it as cancelled. For the
   * end of a drain, once its grace period is over.
   */
  public void interruptRunning() {
    running.forEach(Thread::interrupt);
  }

  @Override
  public String queue() {
    return subscription.queue();
  }

  @Override
  public boolean isActive() {
    return subscription.isActive();
  }

  /**
   * {@inheritDoc} A worker that is not consuming its queue must take no placements: its dispatches would wait, or
   * loop, in the queue.
   */
  @Override
  public boolean isConsuming() {
    return subscription.isConsuming();
  }

  @Override
  public long consumerLosses() {
    return subscription.consumerLosses();
  }

  @Override
  public boolean awaitInFlight(Duration timeout) {
    return subscription.awaitInFlight(timeout);
  }

  @Override
  public void close() {
    subscription.close();
  }
}
