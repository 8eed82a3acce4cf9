package io.attune.worker.core.port.out;

/** Hashes passwords for storage and verifies them; the password arrays are wiped by the caller. */
public interface PasswordHasher {

  /** A self-describing hash (algorithm, parameters, salt), different for each call. */
  String hash(char[] password);

  boolean verify(String hash, char[] password);
}
