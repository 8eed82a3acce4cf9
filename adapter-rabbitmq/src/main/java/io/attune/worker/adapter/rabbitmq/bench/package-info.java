/** A raw-throughput harness for the broker, used by the end-to-end benchmarks. */
package io.attune.worker.adapter.rabbitmq.bench;
