package io.attune.worker.adapter.rabbitmq;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test broker connection and an adapter on it, opened before each test and closed after it (after the test
 * class's own {@code @AfterEach} methods), with the subscriptions the test {@linkplain #track tracked} closed first.
 * Register as {@code @RegisterExtension final ConnectedAdapter mq = ..}.
 */
final class ConnectedAdapter implements BeforeEachCallback, AfterEachCallback {

  private TestBroker broker;
  private RabbitAdapter adapter;
  private final List<Subscription> subscriptions = new ArrayList<>();

  @Override
  public void beforeEach(ExtensionContext context) {
    broker = TestBroker.connect();
    adapter = RabbitAdapter.connect(broker.settings(), Fixtures.CLOCK);
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

  /** Closes the subscription after the test, before the adapter. */
  <S extends Subscription> S track(S subscription) {
    subscriptions.add(subscription);
    return subscription;
  }
}
