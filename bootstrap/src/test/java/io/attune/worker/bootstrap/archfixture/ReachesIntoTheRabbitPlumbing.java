package io.attune.worker.bootstrap.archfixture;

import io.attune.worker.adapter.rabbitmq.broker.Publisher;

/** Deliberately wrong: the composition root publishing through the RabbitMQ adapter's plumbing, not its facade. */
public final class ReachesIntoTheRabbitPlumbing {

  private ReachesIntoTheRabbitPlumbing() {
  }

  static void publish(Publisher publisher) {
    publisher.close();
  }
}
