package io.attune.worker.bootstrap.roles;

import io.attune.worker.adapter.http.in.OperationsServer;
import io.attune.worker.adapter.http.out.Metrics;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.config.HttpPort;
import io.attune.worker.core.model.health.Readiness;
import io.attune.worker.core.port.out.ExecutionObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * A role's metrics and HTTP endpoints, when {@code ATTUNE_HTTP_PORT} is set; nothing at all otherwise (the observer
 * then ignores everything). Started before the role connects, so {@code /healthz} answers and {@code /readyz} says
 * why not yet while the services are awaited.
 */
final class Operations implements AutoCloseable {

  private final Optional<Metrics> metrics;
  private final Optional<OperationsServer> server;

  private Operations(Optional<Metrics> metrics, Optional<OperationsServer> server) {
    this.metrics = metrics;
    this.server = server;
  }

  /**
   * @throws io.attune.worker.core.error.ConfigurationException when ATTUNE_HTTP_PORT is not a port
   * @throws io.attune.worker.core.error.InfrastructureException when the port cannot be bound
   */
  static Operations start(AttuneConfig config, Supplier<Readiness> readiness) {
    Optional<Integer> port = HttpPort.of(config);
    if (port.isEmpty()) {
      return new Operations(Optional.empty(), Optional.empty());
    }
    Metrics metrics = Metrics.create();
    try {
      return new Operations(Optional.of(metrics), Optional.of(OperationsServer.start(port.get(), metrics::scrape,
          readiness)));
    } catch (RuntimeException failed) {
      metrics.close();
      throw failed;
    }
  }

  /** Where the core's events go: the meters, or nowhere. */
  ExecutionObserver observer() {
    return metrics.map(Metrics::observer).orElse(ExecutionObserver.NONE);
  }

  /** A worker's slot and heartbeat gauges, when metrics are on. */
  void workerGauges(IntSupplier used, int slots, Supplier<Optional<Duration>> heartbeatAge) {
    metrics.ifPresent(m -> m.workerGauges(used, slots, heartbeatAge));
  }

  /** The port the endpoints listen on, when they do. */
  Optional<Integer> port() {
    return server.map(OperationsServer::port);
  }

  @Override
  public void close() {
    server.ifPresent(OperationsServer::close);
    metrics.ifPresent(Metrics::close);
  }
}
