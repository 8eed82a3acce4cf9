/** The end-to-end benchmark of the distributed roles on real PostgreSQL and RabbitMQ (a harness, not a test). */
package io.attune.worker.benchmarks.system;
