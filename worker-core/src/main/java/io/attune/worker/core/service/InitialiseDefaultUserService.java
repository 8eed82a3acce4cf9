package io.attune.worker.core.service;

import io.attune.worker.core.model.user.DefaultUser;
import io.attune.worker.core.model.user.UserAccount;
import io.attune.worker.core.port.in.InitialiseDefaultUserUseCase;
import io.attune.worker.core.port.out.PasswordHasher;
import io.attune.worker.core.port.out.UserStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Creates the default user unless it exists; the password is hashed here, at run time, never stored in clear. */
public final class InitialiseDefaultUserService implements InitialiseDefaultUserUseCase {

  private final UserStore users;
  private final PasswordHasher hasher;

  public InitialiseDefaultUserService(UserStore users, PasswordHasher hasher) {
    this.users = users;
    this.hasher = hasher;
  }

  @Override
  public Initialisation initialise(Credentials credentials) {
    List<String> warnings = new ArrayList<>();
    char[] password = credentials.password();
    try {
      if (Arrays.equals(password, DefaultUser.PASSWORD.toCharArray())) {
        warnings.add("the default password of " + credentials.login()
            + " is in use: anyone who read the documentation can log in. Set a password of your own.");
      }
      if (users.find(credentials.login()).isPresent()) {
        return new Initialisation(credentials.login(), false, warnings);
      }
      String hash = hasher.hash(password);
      boolean created = users.createIfAbsent(new UserAccount(credentials.login(), credentials.displayName(), hash));
      return new Initialisation(credentials.login(), created, warnings);
    } finally {
      Arrays.fill(password, '\0');
    }
  }
}
