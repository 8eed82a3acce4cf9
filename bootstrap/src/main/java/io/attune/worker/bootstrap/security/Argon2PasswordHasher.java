package io.attune.worker.bootstrap.security;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Constants;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Factory.Argon2Types;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.port.out.PasswordHasher;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}).
 *
 * <p>The parameters are OWASP's minimum for Argon2id. They travel inside every hash, so raising them later
 * still verifies the hashes stored before. Passwords are encoded as UTF-8 whatever the platform's default
 * charset (Java 17 in a container without a locale defaults to ASCII, which would turn every non-ASCII
 * character into {@code ?}); the native library wipes the byte copy it makes, and the caller wipes the
 * {@code char[]} it passed in, as {@link PasswordHasher} says.
 */
public final class Argon2PasswordHasher implements PasswordHasher {

  /** Memory cost in KiB: 19 MiB. */
  public static final int MEMORY_KIB = 19 * 1024;
  /** Number of passes over the memory. */
  public static final int ITERATIONS = 2;
  /** Lanes computed in parallel. */
  public static final int PARALLELISM = 1;

  private final Argon2 argon2;

  /** Loads the native Argon2 library (bundled in argon2-jvm, unpacked by JNA into {@code jna.tmpdir}). */
  public Argon2PasswordHasher() {
    try {
      this.argon2 = Argon2Factory.create(
          Argon2Types.ARGON2id, Argon2Constants.DEFAULT_SALT_LENGTH, Argon2Constants.DEFAULT_HASH_LENGTH);
    } catch (LinkageError | IllegalStateException e) {
      throw new InfrastructureException("load argon2",
          "the native Argon2 library could not be loaded (JNA unpacks it into jna.tmpdir or java.io.tmpdir,"
              + " which must be writable): " + e.getMessage(), e);
    }
  }

  @Override
  public String hash(char[] password) {
    Objects.requireNonNull(password, "password");
    try {
      return argon2.hash(ITERATIONS, MEMORY_KIB, PARALLELISM, password, StandardCharsets.UTF_8);
    } catch (IllegalStateException e) {
      throw new InfrastructureException("hash password", "Argon2id failed: " + e.getMessage(), e);
    }
  }

  /** False for a wrong password and for a hash that is not an Argon2id PHC string. */
  @Override
  public boolean verify(String hash, char[] password) {
    Objects.requireNonNull(password, "password");
    if (hash == null || !hash.startsWith("$argon2id$")) {
      return false;
    }
    try {
      return argon2.verify(hash, password, StandardCharsets.UTF_8);
    } catch (IllegalStateException e) {
      // argon2-jvm reports a malformed hash (bad base64, missing fields) this way: a refusal, not a fault
      return false;
    }
  }

  @Override
  public String toString() {
    return "Argon2PasswordHasher[argon2id, m=" + MEMORY_KIB + ", t=" + ITERATIONS + ", p=" + PARALLELISM + "]";
  }
}
