/** The rabbitmq adapter of the worker core. */
package io.attune.worker.adapter.rabbitmq;
