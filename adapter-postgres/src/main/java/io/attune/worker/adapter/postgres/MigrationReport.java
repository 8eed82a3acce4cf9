package io.attune.worker.adapter.postgres;

import java.util.Objects;

/**
 * What {@link PostgresAdapter#migrate()} did.
 *
 * @param applied how many migrations this run applied (0 when the schema was already current)
 * @param schemaVersion the schema version afterwards, such as {@code 1}
 */
public record MigrationReport(int applied, String schemaVersion) {
  public MigrationReport {
    if (applied < 0) {
      throw new IllegalArgumentException("applied migrations must not be negative, was " + applied);
    }
    Objects.requireNonNull(schemaVersion, "schemaVersion");
  }
}
