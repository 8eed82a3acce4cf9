package io.attune.worker.benchmarks.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.model.worker.WorkerType;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Raw broker throughput, the way RabbitMQ's PerfTest measures it: one producer and one consumer on one queue,
 * 512-byte messages, manual acknowledgements. The persistent run uses a durable queue, persistent messages and
 * publisher confirms (at most {@value #CONFIRM_WINDOW} unconfirmed); its baseline, measured in the same run, is
 * transient messages on a non-durable queue without confirms.
 *
 * <p>Also measures the transport's own dispatch path, which waits for one confirm per message, from one thread and
 * from several: what the scheduler can push to a worker's queue.
 *
 * <p>Each method connects, measures once and cleans up its queue; warm up with a short run first. The printing
 * harness is {@link RawThroughputBenchmarkMain}.
 */
public final class RawThroughputBenchmark {

  /** The size of every message body, as in the PerfTest figures we compare with. */
  public static final int MESSAGE_BYTES = 512;
  /** The most publishes that may wait for their confirm at once in the raw persistent run. */
  public static final int CONFIRM_WINDOW = 1_000;
  private static final int CONSUMER_PREFETCH = 1_000;
  private static final Duration PATIENCE = Duration.ofMinutes(5);

  private RawThroughputBenchmark() {
  }

  /**
   * Persistent messages with publisher confirms through a durable classic queue, end to end (first publish to
   * last acknowledgement), in messages per second.
   *
   * @throws InfrastructureException when the broker is unreachable or refuses a message
   */
  public static double persistentMessagesPerSecond(RabbitSettings settings, int messages) {
    return pump(settings, messages, true);
  }

  /** The baseline: transient messages on a non-durable queue, no confirms, manual acknowledgements. */
  public static double transientMessagesPerSecond(RabbitSettings settings, int messages) {
    return pump(settings, messages, false);
  }

  /**
   * Dispatches per second through {@link RabbitAdapter#dispatcher()} into one worker queue, from
   * {@code threads} threads at once; each dispatch waits for its own confirm. The queue is deleted afterwards.
   */
  public static double transportDispatchesPerSecond(RabbitSettings settings, int messages, int threads) {
    if (messages < 1 || threads < 1) {
      throw new IllegalArgumentException("messages and threads must be positive, were " + messages + " and "
          + threads);
    }
    WorkerId workerId = new WorkerId(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50));
    Instant now = Instant.now();
    Worker worker = new Worker(workerId, "bench-" + workerId, WorkerType.LOCAL, "", WorkerStatus.ACTIVE, false,
        Capabilities.builder().runtime(RuntimeName.of("shell")).build(), Duration.ofSeconds(30), now, 0);
    ExecutionRequest request = new ExecutionRequest(ActionRequirements.of("bench.noop", RuntimeName.of("shell")),
        Map.of("payload", "x".repeat(MESSAGE_BYTES - 200)));
    AtomicLong ids = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (RabbitAdapter transport = RabbitAdapter.connect(settings, Clock.systemUTC())) {
      transport.workerQueues().declare(workerId);
      try {
        long start = System.nanoTime();
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int share = messages / threads + (t < messages % threads ? 1 : 0);
          runs.add(pool.submit(() -> {
            for (int i = 0; i < share; i++) {
              Execution execution = Execution.requested(new ExecutionId(ids.incrementAndGet()), request, now)
                  .schedule(workerId, now).execution();
              transport.dispatcher().dispatch(execution, worker);
            }
            return null;
          }));
        }
        for (Future<?> run : runs) {
          run.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }
        return messages / seconds(System.nanoTime() - start);
      } finally {
        transport.workerQueues().delete(workerId);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException("benchmark dispatches", "interrupted", e);
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      throw new InfrastructureException("benchmark dispatches", String.valueOf(e.getCause()), e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static double pump(RabbitSettings settings, int messages, boolean persistent) {
    if (messages < 1) {
      throw new IllegalArgumentException("messages must be positive, was " + messages);
    }
    String operation = "benchmark " + (persistent ? "persistent" : "transient") + " throughput";
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(settings.url());
    } catch (Exception e) {
      throw new InfrastructureException(operation, "unusable URL " + settings.maskedUrl(), e);
    }
    String queue = "attune.bench." + UUID.randomUUID();
    byte[] body = new byte[MESSAGE_BYTES];
    ThreadLocalRandom.current().nextBytes(body);
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .deliveryMode(persistent ? 2 : 1).contentType("application/octet-stream").build();
    try (Connection consumerConnection = factory.newConnection("attune-bench-consumer");
         Connection producerConnection = factory.newConnection("attune-bench-producer")) {
      Channel consumer = consumerConnection.createChannel();
      consumer.queueDeclare(queue, persistent, false, false, null);
      try {
        CountDownLatch received = new CountDownLatch(messages);
        consumer.basicQos(CONSUMER_PREFETCH);
        consumer.basicConsume(queue, false, new DefaultConsumer(consumer) {
          @Override
          public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties p, byte[] b)
              throws IOException {
            getChannel().basicAck(envelope.getDeliveryTag(), false);
            received.countDown();
          }
        });
        Channel producer = producerConnection.createChannel();
        ConfirmWindow window = new ConfirmWindow(CONFIRM_WINDOW);
        if (persistent) {
          producer.confirmSelect();
          producer.addConfirmListener(window);
        }
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
          if (persistent) {
            window.beforePublish(producer);
          }
          producer.basicPublish("", queue, props, body);
        }
        if (persistent) {
          producer.waitForConfirmsOrDie(PATIENCE.toMillis());
        }
        if (!received.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new InfrastructureException(operation, (messages - received.getCount()) + " of " + messages
              + " messages arrived within " + PATIENCE.toMinutes() + " min");
        }
        double rate = messages / seconds(System.nanoTime() - start);
        if (window.nacked() > 0) {
          throw new InfrastructureException(operation, "the broker refused " + window.nacked() + " messages");
        }
        return rate;
      } finally {
        consumer.queueDelete(queue);
      }
    } catch (IOException | TimeoutException e) {
      throw new InfrastructureException(operation, "against " + settings.maskedUrl() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException(operation, "interrupted", e);
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
