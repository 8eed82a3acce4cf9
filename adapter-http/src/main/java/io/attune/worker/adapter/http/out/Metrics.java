package io.attune.worker.adapter.http.out;

import io.attune.worker.core.port.out.ExecutionObserver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The meters of one process in a Prometheus registry: the core's events through {@link #observer()}, the worker's
 * own gauges through {@link #workerGauges}, and the JVM's (memory, garbage collection, threads, class loading,
 * processor, uptime). Every name has the {@code attune_} prefix and a base unit; docs/operations.md lists them.
 * Thread-safe; close it once at shutdown.
 */
public final class Metrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry;
  private final MicrometerObserver observer;
  private final JvmGcMetrics gc;

  private Metrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.observer = new MicrometerObserver(registry);
    new JvmMemoryMetrics().bindTo(registry);
    this.gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** A registry with the JVM's meters bound. */
  public static Metrics create() {
    return new Metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** The core's port, turning what happens into counters, histograms and gauges. */
  public ExecutionObserver observer() {
    return observer;
  }

  /**
   * The gauges of a worker process: its slots in use and free, and the age of its last heartbeat that reached the
   * database (NaN before the first). The gauges hold the suppliers strongly (Micrometer's default is a weak
   * reference, which would let a lambda be collected and the gauge turn NaN).
   *
   * @param used how many of its slots run an execution now
   * @param slots its concurrency limit
   * @param heartbeatAge how old its last stored heartbeat is now; empty before the first
   */
  public void workerGauges(IntSupplier used, int slots, Supplier<Optional<Duration>> heartbeatAge) {
    Gauge.builder("attune.worker.slots", used, s -> s.getAsInt())
        .tag("state", "used").description("This worker's slots running an execution")
        .strongReference(true).register(registry);
    Gauge.builder("attune.worker.slots", used, s -> Math.max(0, slots - s.getAsInt()))
        .tag("state", "free").description("This worker's slots free for an execution")
        .strongReference(true).register(registry);
    Gauge.builder("attune.worker.heartbeat.age", heartbeatAge,
            age -> age.get().map(d -> d.toNanos() / 1e9).orElse(Double.NaN))
        .baseUnit("seconds").description("Age of this worker's last heartbeat that reached the database")
        .strongReference(true).register(registry);
  }

  /** Every meter in the Prometheus text format (version 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
