package io.attune.worker.adapter.rabbitmq;

import io.attune.worker.adapter.rabbitmq.broker.BrokerConnection;
import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import io.attune.worker.core.port.out.ExecutionObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test broker connection and an adapter on it, opened before each test and closed after it (after the test
 * class's own {@code @AfterEach} methods), with the subscriptions the test {@linkplain #track tracked} closed first.
 * It counts how often the adapter's connection was lost, which recovery would otherwise hide.
 * Register as {@code @RegisterExtension final ConnectedAdapter mq = ..}.
 */
final class ConnectedAdapter implements BeforeEachCallback, AfterEachCallback {

  private TestBroker broker;
  private RabbitAdapter adapter;
  private final List<Subscription> subscriptions = new ArrayList<>();
  private final AtomicInteger connectionLosses = new AtomicInteger();

  @Override
  public void beforeEach(ExtensionContext context) {
    broker = TestBroker.connect();
    BrokerConnection connection = BrokerConnection.open(broker.settings());
    connection.connection().addShutdownListener(cause -> {
      if (!cause.isInitiatedByApplication()) {
        connectionLosses.incrementAndGet();
      }
    });
    adapter = RabbitAdapter.connect(connection, Fixtures.CLOCK, ExecutionObserver.NONE);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    subscriptions.forEach(Subscription::close);
    subscriptions.clear();
    if (adapter != null) {
      adapter.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  TestBroker broker() {
    return broker;
  }

  RabbitAdapter adapter() {
    return adapter;
  }

  /** How often the adapter's connection was closed by something other than the adapter itself. */
  int connectionLosses() {
    return connectionLosses.get();
  }

  /** Closes the subscription after the test, before the adapter. */
  <S extends Subscription> S track(S subscription) {
    subscriptions.add(subscription);
    return subscription;
  }
}
