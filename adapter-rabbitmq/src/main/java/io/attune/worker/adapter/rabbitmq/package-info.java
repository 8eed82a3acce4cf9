/**
 * The RabbitMQ transport: topology, dispatch to a worker's queue, execution requests, result notifications and
 * dead letters. Start with {@link io.attune.worker.adapter.rabbitmq.RabbitTransport#connect}.
 */
package io.attune.worker.adapter.rabbitmq;
