/**
 * The outbound side of the RabbitMQ adapter: the core's out-ports (dispatcher, stop signals, execution events) and
 * the announcements and requests other processes consume.
 */
package io.attune.worker.adapter.rabbitmq.out;
