package io.attune.worker.adapter.http.archfixture;

import io.attune.worker.adapter.postgres.PostgresSettings;

/** Deliberately makes the HTTP adapter use the PostgreSQL adapter. Test sources only. */
public final class HttpReachesIntoPostgres {
  public Object settings() {
    return PostgresSettings.of("jdbc:postgresql://localhost/attune", "attune", "attune");
  }
}
