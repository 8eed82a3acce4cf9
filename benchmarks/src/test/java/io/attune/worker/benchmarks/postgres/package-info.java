/** The PostgreSQL adapter's writes beside plain JDBC, and the statements a scheduling decision costs. */
package io.attune.worker.benchmarks.postgres;
