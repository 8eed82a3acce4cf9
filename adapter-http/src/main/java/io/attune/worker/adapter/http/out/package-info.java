/**
 * The HTTP adapter's outbound side: the core's {@code ExecutionObserver} kept as Micrometer meters, shown in the
 * Prometheus text format. Start with {@link io.attune.worker.adapter.http.out.Metrics#create()}; the observer is
 * package-private behind it.
 */
package io.attune.worker.adapter.http.out;
