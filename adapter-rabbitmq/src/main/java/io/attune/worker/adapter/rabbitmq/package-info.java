/**
 * The RabbitMQ adapter's facade: start with {@link io.attune.worker.adapter.rabbitmq.RabbitAdapter#connect}. Behind
 * it, three packages: {@code in} (the consumers, which drive the core's use cases: dispatches, requests, stop
 * requests, and dead letters for what cannot be handled), {@code out} (the core's out-ports over RabbitMQ: the
 * dispatcher, stop signals, execution events and announcements) and {@code broker} (what both sides share: the
 * connection and its recovery, publishing with confirms, the topology and the message codec). Other modules use only
 * the facade and the types it hands out; the architecture tests hold both.
 */
package io.attune.worker.adapter.rabbitmq;
