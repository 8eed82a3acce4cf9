package io.attune.worker.core.port.out;

import io.attune.worker.core.model.user.UserAccount;
import java.util.Optional;

/** Keeps user accounts. */
public interface UserStore {

  /**
   * Inserts the account unless one with the same login exists, atomically: of two concurrent calls one inserts.
   *
   * @return true when this call inserted it
   */
  boolean createIfAbsent(UserAccount account);

  Optional<UserAccount> find(String login);
}
