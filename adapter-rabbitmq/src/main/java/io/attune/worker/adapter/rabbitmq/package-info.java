/**
 * The RabbitMQ adapter: topology, dispatch to a worker's queue, execution requests, result announcements and dead
 * letters. Start with {@link io.attune.worker.adapter.rabbitmq.RabbitAdapter#connect}; connection, recovery and
 * topology plumbing are package-private behind it.
 */
package io.attune.worker.adapter.rabbitmq;
