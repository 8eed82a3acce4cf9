package io.attune.worker.core.port.in;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Creates the first user of a fresh installation, once. */
public interface InitialiseDefaultUserUseCase {

  Initialisation initialise(Credentials credentials);

  /** Who to create; the password array is wiped once hashed. */
  record Credentials(String login, String displayName, char[] password) {
    public Credentials {
      Objects.requireNonNull(login, "login");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "Credentials[login=" + login + ", displayName=" + displayName + ", password=***]";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Credentials c && login.equals(c.login) && Objects.equals(displayName, c.displayName)
          && Arrays.equals(password, c.password);
    }

    @Override
    public int hashCode() {
      return Objects.hash(login, displayName, Arrays.hashCode(password));
    }
  }

  /** Whether this call created the user, and warnings such as the default password being in use. */
  record Initialisation(String login, boolean created, List<String> warnings) {
    public Initialisation {
      warnings = List.copyOf(warnings);
    }
  }
}
