/**
 * What both sides of the RabbitMQ adapter share: the connection and its recovery, publishing with confirms, the
 * topology, the settings and the message envelope with its codec. It depends on neither side.
 */
package io.attune.worker.adapter.rabbitmq.broker;
