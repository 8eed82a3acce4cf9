package io.attune.worker.bootstrap.wiring;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.config.BrokerConfig;
import io.attune.worker.bootstrap.config.ConfigLoader;
import io.attune.worker.bootstrap.config.DatabaseConfig;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.retry.Backoff;
import io.attune.worker.core.port.out.ExecutionObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Connects to the shared services named by the configuration: PostgreSQL and RabbitMQ. */
public final class Services {

  private Services() {
  }

  /** The database settings, or a configuration error naming the variable to set. */
  public static PostgresSettings database(AttuneConfig config) {
    DatabaseConfig db = config.database().orElseThrow(() -> new ConfigurationException(config.describeSource(),
        ConfigLoader.DATABASE_URL, "is not set: expected jdbc:postgresql://host:port/database "
            + "(or database.url in the configuration file)"));
    return PostgresSettings.of(db.url(), db.user(), db.password());
  }

  /** Connects to PostgreSQL and checks that the schema is the one this code expects. */
  public static PostgresAdapter postgres(AttuneConfig config) {
    return withCurrentSchema(PostgresAdapter.connect(database(config)));
  }

  /** The adapter, once its database has the schema this code expects; closed otherwise. */
  private static PostgresAdapter withCurrentSchema(PostgresAdapter adapter) {
    try {
      adapter.requireCurrentSchema();
      return adapter;
    } catch (RuntimeException wrongSchema) {
      adapter.close();
      throw wrongSchema;
    }
  }

  /**
   * Connects to PostgreSQL, retrying while it is unreachable until the deadline: containers start in any order.
   *
   * @param clock tells when the wait is over
   * @param progress told about each failed attempt, e.g. to log it
   */
  public static PostgresAdapter postgresWhenReachable(AttuneConfig config, Duration wait, Clock clock,
      Consumer<String> progress) throws InterruptedException {
    PostgresSettings settings = database(config);
    Instant giveUp = clock.instant().plus(wait);
    int attempt = 0;
    while (true) {
      attempt++;
      try {
        return PostgresAdapter.connect(settings);
      } catch (InfrastructureException unreachable) {
        if (clock.instant().isAfter(giveUp)) {
          throw new InfrastructureException("connect to PostgreSQL", "still unreachable after " + wait.toSeconds()
              + " s (" + attempt + " attempts): " + unreachable.getMessage(), unreachable);
        }
        progress.accept("waiting for PostgreSQL at " + settings.location() + " (attempt " + attempt + "): "
            + unreachable.getMessage());
        Thread.sleep(Backoff.START_UP.after(attempt).toMillis());
      }
    }
  }

  /**
   * Connects to PostgreSQL for a long-running role, waiting while it is unreachable (a role started during a
   * database restart must not die of it), then checks the schema.
   */
  public static PostgresAdapter postgresForRole(AttuneConfig config, Clock clock, Consumer<String> progress) {
    PostgresSettings settings = database(config);
    return withCurrentSchema(retryingWhileUnreachable("connect to PostgreSQL at " + settings.location(),
        config.connectWait(), clock, progress, () -> PostgresAdapter.connect(settings)));
  }

  /**
   * Connects to RabbitMQ for a long-running role, waiting while it is unreachable, like {@link #postgresForRole};
   * the observer is told of results that could not be announced.
   */
  public static RabbitAdapter rabbitForRole(AttuneConfig config, Clock clock, String connectionName,
      Consumer<String> progress, ExecutionObserver observer) {
    return retryingWhileUnreachable("connect to RabbitMQ", config.connectWait(), clock, progress,
        () -> rabbit(config, clock, connectionName, observer));
  }

  /**
   * Runs a start-up step of a long-running role again while PostgreSQL or RabbitMQ fails it, up to {@code wait}: a
   * role started while either restarts rides the restart out instead of dying of it. A configuration error or a bug
   * is not retried.
   *
   * @param clock tells when the wait is over
   */
  public static <T> T retryingWhileUnreachable(String step, Duration wait, Clock clock, Consumer<String> progress,
      Supplier<T> work) {
    Instant giveUp = clock.instant().plus(wait);
    for (int attempt = 1; ; attempt++) {
      try {
        return work.get();
      } catch (InfrastructureException failed) {
        if (clock.instant().isAfter(giveUp)) {
          throw failed;
        }
        progress.accept(step + " failed (attempt " + attempt + "), trying again: " + failed.getMessage());
        try {
          Thread.sleep(Backoff.START_UP.after(attempt).toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw failed;
        }
      }
    }
  }

  /**
   * Connects to RabbitMQ, or a configuration error naming ATTUNE_MQ_URL.
   *
   * @param clock stamps the messages
   */
  public static RabbitAdapter rabbit(AttuneConfig config, Clock clock, String connectionName) {
    return rabbit(config, clock, connectionName, ExecutionObserver.NONE);
  }

  private static RabbitAdapter rabbit(AttuneConfig config, Clock clock, String connectionName,
      ExecutionObserver observer) {
    BrokerConfig broker = config.broker().orElseThrow(() -> new ConfigurationException(config.describeSource(),
        ConfigLoader.MQ_URL, "is not set: expected amqp://user:password@host:port/vhost (or mq.url in the "
            + "configuration file)"));
    RabbitSettings settings = new RabbitSettings(broker.url(), connectionName)
        .withCredentials(broker.user().orElse(null), broker.password().orElse(null))
        .withMaxMessageBytes(broker.maxMessageBytes());
    return RabbitAdapter.connect(settings, clock, observer);
  }
}
