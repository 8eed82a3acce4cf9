/**
 * The HTTP adapter: meters kept with Micrometer and shown in the Prometheus text format at {@code /metrics}, and the
 * health endpoints {@code /healthz} and {@code /readyz}, on the JDK's own HTTP server. Start with
 * {@link io.attune.worker.adapter.http.Metrics#create()} and {@link io.attune.worker.adapter.http.OperationsServer#start};
 * the meters and the handlers are package-private behind them.
 */
package io.attune.worker.adapter.http;
