package io.attune.worker.adapter.http.in;

import com.sun.net.httpserver.HttpServer;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.health.Readiness;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's HTTP endpoints on one port, on the JDK's own server: {@code GET /metrics} (Prometheus text format),
 * {@code GET /healthz} (200 while the process runs) and {@code GET /readyz} (200 when ready, 503 otherwise, with
 * the reasons). A probe costs no round trip to a service: readiness is judged on what the process already knows.
 * Close it once at shutdown.
 */
public final class OperationsServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OperationsServer.class);
  /** Probes and scrapes are small and rare: two threads answer them, apart from the process's own work. */
  private static final int THREADS = 2;

  private final HttpServer server;
  private final ExecutorService threads;

  private OperationsServer(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /**
   * Listens on every interface at {@code port} (0: a free port, see {@link #port()}).
   *
   * @param metrics the text {@code /metrics} serves, in the Prometheus format (e.g. {@code Metrics::scrape})
   * @param readiness asked on every {@code /readyz}; must be cheap
   * @throws InfrastructureException naming the port when it cannot be bound, e.g. because it is in use
   */
  public static OperationsServer start(int port, Supplier<String> metrics, Supplier<Readiness> readiness) {
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(readiness, "readiness");
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException cannotBind) {
      throw new InfrastructureException("serve /metrics, /healthz and /readyz",
          "cannot listen on port " + port + ": " + cannotBind.getMessage(), cannotBind);
    }
    Endpoints endpoints = new Endpoints(metrics, readiness);
    server.createContext("/", endpoints::handle);
    ExecutorService threads = Executors.newFixedThreadPool(THREADS, r -> {
      Thread thread = new Thread(r, "http-endpoints");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(threads);
    server.start();
    OperationsServer started = new OperationsServer(server, threads);
    LOG.info("serving /metrics, /healthz and /readyz on port {}", started.port());
    return started;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops listening at once. */
  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
