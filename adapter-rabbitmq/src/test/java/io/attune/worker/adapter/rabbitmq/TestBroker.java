package io.attune.worker.adapter.rabbitmq;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.attune.worker.adapter.rabbitmq.broker.BrokerConnection;
import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.testsupport.services.TestServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The RabbitMQ node started by {@code scripts/test-services.sh}: settings, a raw client connection for looking at
 * queues behind the adapter's back, unique names, and the node's control script.
 *
 * <p>Without {@code ATTUNE_TEST_MQ_URL} (read by test-support's {@link TestServices}) the tests are skipped, unless
 * {@code ATTUNE_TEST_SERVICES=required}: then a missing or unreachable broker fails them.
 */
public final class TestBroker implements AutoCloseable {

  private final RabbitSettings settings;
  private final Connection raw;

  private TestBroker(RabbitSettings settings, Connection raw) {
    this.settings = settings;
    this.raw = raw;
  }

  public static TestBroker connect() {
    RabbitSettings settings = new RabbitSettings(TestServices.requireRabbit().mqUrl(), "attune-test");
    try {
      ConnectionFactory factory = BrokerConnection.factory(settings);
      factory.setAutomaticRecoveryEnabled(true);
      return new TestBroker(settings, factory.newConnection("attune-test-inspector"));
    } catch (IOException | TimeoutException e) {
      TestServices.unavailable("RabbitMQ at " + settings.maskedUrl() + " is unreachable: " + e);
      throw new AssertionError("unreachable", e);
    }
  }

  public RabbitSettings settings() {
    return settings;
  }

  static WorkerId uniqueWorker() {
    return new WorkerId(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000_000L));
  }

  /** Ready messages in the queue (not counting delivered, unacknowledged ones). */
  long ready(String queue) {
    return withChannel(channel -> (long) channel.queueDeclarePassive(queue).getMessageCount());
  }

  boolean exists(String queue) {
    try (Channel channel = raw.createChannel()) {
      channel.queueDeclarePassive(queue);
      return true;
    } catch (IOException e) {
      return false;
    } catch (TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  Optional<GetResponse> get(String queue) {
    return withChannel(channel -> Optional.ofNullable(channel.basicGet(queue, true)));
  }

  /** Purges the queue; returns how many ready messages it held. */
  int purge(String queue) {
    return withChannel(channel -> channel.queuePurge(queue).getMessageCount());
  }

  void publishRaw(String routingKey, String body) {
    publishRaw(routingKey, null, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Publishes the bytes as they are, mandatory, with these properties (null: none), and waits for the confirm. */
  void publishRaw(String routingKey, AMQP.BasicProperties props, byte[] body) {
    withChannel(channel -> {
      channel.confirmSelect();
      channel.basicPublish(RabbitTopology.EXECUTIONS_EXCHANGE, routingKey, true, props, body);
      channel.waitForConfirmsOrDie(5_000);
      return null;
    });
  }

  /**
   * Publishes the bytes on a channel of its own and waits for the confirm; returns how the broker closed that
   * channel instead, if it did.
   */
  Optional<ShutdownSignalException> publishRefused(String routingKey, byte[] body) {
    try {
      Channel channel = raw.createChannel();
      try {
        channel.confirmSelect();
        channel.basicPublish(RabbitTopology.EXECUTIONS_EXCHANGE, routingKey, false, null, body);
        channel.waitForConfirmsOrDie(30_000);
      } catch (ShutdownSignalException | IOException refused) {
        // the broker's channel.close arrives as either, depending on when the client notices it
        await().atMost(Duration.ofSeconds(20)).until(() -> !channel.isOpen());
        return Optional.of(channel.getCloseReason());
      }
      channel.close();
      return Optional.empty();
    } catch (IOException | TimeoutException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Takes dead letters off {@code attune.dead_letters} until one matches; the others are dropped (each test
   * looks only for its own, and tests run one after another).
   */
  GetResponse awaitDeadLetter(Predicate<GetResponse> matching) {
    return awaitDeadLetters(matching, 1).get(0);
  }

  /** Takes dead letters off {@code attune.dead_letters} until {@code count} have matched. */
  List<GetResponse> awaitDeadLetters(Predicate<GetResponse> matching, int count) {
    List<GetResponse> found = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
      Optional<GetResponse> next;
      while (found.size() < count && (next = get(RabbitTopology.DEAD_LETTER_QUEUE)).isPresent()) {
        if (matching.test(next.get())) {
          found.add(next.get());
        }
      }
      return found.size() >= count;
    });
    return found;
  }

  static String header(GetResponse response, String name) {
    Map<String, Object> headers = response.getProps().getHeaders();
    Object value = headers == null ? null : headers.get(name);
    return value == null ? null : value.toString();
  }

  static String body(GetResponse response) {
    return new String(response.getBody(), StandardCharsets.UTF_8);
  }

  <T> T withChannel(ChannelCall<T> call) {
    try (Channel channel = raw.createChannel()) {
      return call.run(channel);
    } catch (IOException | TimeoutException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code "$ATTUNE_TEST_MQ_CTL" args...} and fails on a non-zero exit. */
  public static void ctl(String... args) {
    TestServices.requireRabbit().mq(args);
  }

  @Override
  public void close() throws IOException {
    if (raw.isOpen()) {
      raw.close();
    }
  }

  @FunctionalInterface
  interface ChannelCall<T> {
    T run(Channel channel) throws IOException, TimeoutException, InterruptedException;
  }
}
