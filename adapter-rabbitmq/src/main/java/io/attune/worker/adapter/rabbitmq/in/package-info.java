/**
 * The inbound side of the RabbitMQ adapter: consumers that turn deliveries into calls of the core's use cases, with
 * bounded in-flight work, settlement and dead letters.
 */
package io.attune.worker.adapter.rabbitmq.in;
