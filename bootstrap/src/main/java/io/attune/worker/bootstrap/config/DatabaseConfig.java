package io.attune.worker.bootstrap.config;

import java.util.Objects;

/** How to reach PostgreSQL; the password never appears in {@link #toString()}. */
public record DatabaseConfig(String url, String user, String password) {
  public DatabaseConfig {
    Objects.requireNonNull(url, "url");
    user = user == null ? "" : user;
    password = password == null ? "" : password;
  }

  @Override
  public String toString() {
    return "DatabaseConfig[url=" + url + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***") + "]";
  }
}
