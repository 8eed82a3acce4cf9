/** Raw RabbitMQ throughput, the baseline of the system benchmarks, and the transport's dispatch path. */
package io.attune.worker.benchmarks.rabbitmq;
