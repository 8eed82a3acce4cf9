package io.attune.worker.adapter.postgres;

import io.attune.worker.core.error.ConfigurationException;
import java.time.Duration;

/**
 * How to reach PostgreSQL: a JDBC URL {@code jdbc:postgresql://host:port/database}, user, password and pool size.
 * {@link #toString()} never shows the password.
 */
public record PostgresSettings(String url, String user, String password, int maxPoolSize) {

  /** The only kind of URL this adapter accepts. */
  public static final String URL_PREFIX = "jdbc:postgresql://";

  /** A pool size that suits a worker or a scheduler. */
  public static final int DEFAULT_MAX_POOL_SIZE = 10;

  /**
   * How long a pooled connection lives before the pool replaces it (each one up to 2.5 % sooner, so they do not all
   * go at once); a connection in use is replaced when it is handed back. Short, so that what a session took on when
   * it was opened (a database's read-only default, a standby it reached) does not outlive its cause by more than
   * this; above Hikari's floor of 30 s, and below the idle limits of common load balancers and proxies (240 s and
   * more), which would otherwise cut connections the pool still trusts.
   */
  public static final Duration MAX_LIFETIME = Duration.ofMinutes(3);

  /** How long a connection beyond the pool's two kept idle ones may stay unused before it is closed. */
  public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(1);

  /**
   * Checks the settings.
   *
   * @throws ConfigurationException naming ATTUNE_DATABASE_URL or ATTUNE_DATABASE_USER and what was expected
   */
  public PostgresSettings {
    if (url == null || url.isBlank()) {
      throw new ConfigurationException("ATTUNE_DATABASE_URL", "(not set)",
          "a PostgreSQL JDBC URL such as " + URL_PREFIX + "localhost:5432/attune");
    }
    url = url.trim();
    if (!url.startsWith(URL_PREFIX) || url.length() == URL_PREFIX.length()) {
      throw new ConfigurationException("ATTUNE_DATABASE_URL", "'" + masked(url) + "'",
          "a PostgreSQL JDBC URL of the form " + URL_PREFIX + "host:port/database");
    }
    if (user == null || user.isBlank()) {
      throw new ConfigurationException("ATTUNE_DATABASE_USER", "(not set)", "the PostgreSQL user name");
    }
    password = password == null ? "" : password;
    if (maxPoolSize < 1) {
      throw new ConfigurationException("database settings", "maxPoolSize=" + maxPoolSize,
          "a connection pool size of at least 1");
    }
  }

  /** Settings with the default pool size. */
  public static PostgresSettings of(String url, String user, String password) {
    return new PostgresSettings(url, user, password, DEFAULT_MAX_POOL_SIZE);
  }

  /** Where the database is, for messages: {@code host:port/database}, without credentials or parameters. */
  public String location() {
    String rest = url.substring(URL_PREFIX.length());
    int query = rest.indexOf('?');
    if (query >= 0) {
      rest = rest.substring(0, query);
    }
    int end = rest.indexOf('/') < 0 ? rest.length() : rest.indexOf('/');
    int userInfo = rest.substring(0, end).lastIndexOf('@');
    if (userInfo >= 0) {
      rest = rest.substring(userInfo + 1);
    }
    int slash = rest.indexOf('/');
    String hosts = slash < 0 ? rest : rest.substring(0, slash);
    String database = slash < 0 ? "" : rest.substring(slash);
    boolean hasPort = hosts.contains(":") && !hosts.endsWith("]");
    return hosts + (hasPort || hosts.contains(",") ? "" : ":5432") + database;
  }

  @Override
  public String toString() {
    return "PostgresSettings[url=" + masked(url) + ", user=" + user + ", password="
        + (password.isEmpty() ? "(empty)" : "****") + ", maxPoolSize=" + maxPoolSize + "]";
  }

  /** The URL with any password in it (user info or a password parameter) replaced. */
  static String masked(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1****").replaceAll("(//[^/@?]*?:)[^/@?]*@", "$1****@");
  }
}
