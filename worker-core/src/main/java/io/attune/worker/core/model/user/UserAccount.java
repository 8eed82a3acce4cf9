package io.attune.worker.core.model.user;

import java.util.Objects;

/** A login of the Attune system, with its password stored only as a hash. */
public record UserAccount(String login, String displayName, String passwordHash) {
  public UserAccount {
    Objects.requireNonNull(login, "login");
    if (login.isBlank()) {
      throw new IllegalArgumentException("login must not be blank");
    }
    displayName = displayName == null || displayName.isBlank() ? login : displayName;
    Objects.requireNonNull(passwordHash, "passwordHash");
  }

  /** Never prints the hash. */
  @Override
  public String toString() {
    return "UserAccount[login=" + login + ", displayName=" + displayName + "]";
  }
}
