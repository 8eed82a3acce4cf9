package io.attune.worker.adapter.rabbitmq.in.archfixture;

import io.attune.worker.adapter.rabbitmq.out.RabbitDispatcher;

/** Deliberately wrong: a consumer calling the outbound side directly instead of a use case. */
public final class ConsumerDispatchingItself {

  private ConsumerDispatchingItself() {
  }

  static Object dispatcher(RabbitDispatcher dispatcher) {
    return dispatcher.blocked();
  }
}
