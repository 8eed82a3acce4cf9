/**
 * The HTTP adapter's inbound side: {@code /metrics}, {@code /healthz} and {@code /readyz} on the JDK's own HTTP
 * server. Start with {@link io.attune.worker.adapter.http.in.OperationsServer#start}; the handlers are
 * package-private behind it.
 */
package io.attune.worker.adapter.http.in;
