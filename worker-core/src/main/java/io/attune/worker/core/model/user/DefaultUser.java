package io.attune.worker.core.model.user;

/** The documented default user of a fresh installation; its password must be changed in production. */
public final class DefaultUser {
  public static final String LOGIN = "test@attune.local";
  public static final String PASSWORD = "TestPass123!";
  public static final String DISPLAY_NAME = "Test User";

  private DefaultUser() {
  }
}
