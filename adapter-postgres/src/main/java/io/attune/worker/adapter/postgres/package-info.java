/**
 * The PostgreSQL adapter: {@link io.attune.worker.adapter.postgres.PostgresAdapter} opens a HikariCP pool, applies
 * the Flyway migrations in {@code db/migration} (the schema's single source of truth, from which jOOQ generates
 * {@code io.attune.worker.adapter.postgres.jooq} at build time) and provides the worker registry and directory, the
 * execution store and the user store.
 */
package io.attune.worker.adapter.postgres;
