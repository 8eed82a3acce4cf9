package io.attune.worker.benchmarks.rabbitmq;

import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import java.io.PrintStream;

/**
 * Prints the figures of {@link RawThroughputBenchmark}, each persistent figure as a ratio of the transient
 * baseline measured in the same run. Not a test: it asserts nothing.
 *
 * <p>Run it with {@code scripts/bench.sh rabbitmq}. The broker URL comes from {@code ATTUNE_MQ_URL}, else {@code ATTUNE_TEST_MQ_URL}.
 */
public final class RawThroughputBenchmarkMain {

  private RawThroughputBenchmarkMain() {
  }

  /** The first argument is the number of messages per raw run (default 50,000). */
  public static void main(String[] args) {
    String url = System.getenv("ATTUNE_MQ_URL");
    if (url == null || url.isBlank()) {
      url = System.getenv("ATTUNE_TEST_MQ_URL");
    }
    RabbitSettings settings = new RabbitSettings(url, "attune-bench");
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int warmUp = Math.min(messages, 5_000);
    int dispatches = Math.min(messages, 3_000);
    PrintStream out = System.out;
    out.printf("RabbitMQ at %s: %,d messages of %d bytes, 1 producer, 1 consumer, manual acks%n",
        settings.maskedUrl(), messages, RawThroughputBenchmark.MESSAGE_BYTES);

    RawThroughputBenchmark.transientMessagesPerSecond(settings, warmUp);
    RawThroughputBenchmark.persistentMessagesPerSecond(settings, warmUp);
    double baseline = RawThroughputBenchmark.transientMessagesPerSecond(settings, messages);
    double persistent = RawThroughputBenchmark.persistentMessagesPerSecond(settings, messages);
    double oneThread = RawThroughputBenchmark.transportDispatchesPerSecond(settings, dispatches, 1);
    double fourThreads = RawThroughputBenchmark.transportDispatchesPerSecond(settings, dispatches, 4);

    out.printf("%-52s %,10.0f msg/s%n", "transient, no confirms (baseline)", baseline);
    out.printf("%-52s %,10.0f msg/s  %.3f x baseline%n",
        "persistent, confirms (window " + RawThroughputBenchmark.CONFIRM_WINDOW + ")", persistent,
        persistent / baseline);
    out.printf("%-52s %,10.0f msg/s  %.3f x baseline%n", "transport dispatch, 1 thread, 1 confirm each",
        oneThread, oneThread / baseline);
    out.printf("%-52s %,10.0f msg/s  %.3f x baseline%n", "transport dispatch, 4 threads, 1 confirm each",
        fourThreads, fourThreads / baseline);
  }
}
