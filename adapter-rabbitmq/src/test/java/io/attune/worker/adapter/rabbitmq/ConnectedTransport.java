package io.attune.worker.adapter.rabbitmq;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test broker connection and a transport on it, opened before each test and closed after it (after the test
 * class's own {@code @AfterEach} methods). Register as {@code @RegisterExtension final ConnectedTransport mq = ..}.
 */
final class ConnectedTransport implements BeforeEachCallback, AfterEachCallback {

  private TestBroker broker;
  private RabbitTransport transport;

  @Override
  public void beforeEach(ExtensionContext context) {
    broker = TestBroker.connect();
    transport = RabbitTransport.connect(broker.settings(), Fixtures.CLOCK);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (transport != null) {
      transport.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  TestBroker broker() {
    return broker;
  }

  RabbitTransport transport() {
    return transport;
  }
}
