package io.attune.worker.bootstrap.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Argon2PasswordHasherTest {

  private final Argon2PasswordHasher hasher = new Argon2PasswordHasher();

  @Test
  void hash_is_an_argon2id_phc_string_with_at_least_owasp_parameters() {
    String hash = hasher.hash("TestPass123!".toCharArray());

    assertThat(hash).startsWith("$argon2id$v=19$").contains("$m=19456,t=2,p=1$");
    assertThat(Argon2PasswordHasher.MEMORY_KIB).isGreaterThanOrEqualTo(19456);
    assertThat(Argon2PasswordHasher.ITERATIONS).isGreaterThanOrEqualTo(2);
    assertThat(Argon2PasswordHasher.PARALLELISM).isEqualTo(1);
  }

  @Test
  void two_hashes_of_the_same_password_differ_because_each_has_its_own_salt() {
    String first = hasher.hash("TestPass123!".toCharArray());
    String second = hasher.hash("TestPass123!".toCharArray());

    assertThat(first).isNotEqualTo(second);
    assertThat(hasher.verify(first, "TestPass123!".toCharArray())).isTrue();
    assertThat(hasher.verify(second, "TestPass123!".toCharArray())).isTrue();
  }

  @Test
  void verify_accepts_the_password_and_rejects_any_other() {
    String hash = hasher.hash("correct horse".toCharArray());

    assertThat(hasher.verify(hash, "correct horse".toCharArray())).isTrue();
    assertThat(hasher.verify(hash, "correct horsf".toCharArray())).isFalse();
    assertThat(hasher.verify(hash, "TestPass123!".toCharArray())).isFalse();
    assertThat(hasher.verify(hash, new char[0])).isFalse();
  }

  @Test
  void non_ascii_password_is_hashed_as_utf8_so_a_lookalike_does_not_verify() {
    // with an ASCII default charset both would become "p?ss" and collide
    String hash = hasher.hash("pässwörd".toCharArray());

    assertThat(hasher.verify(hash, "pässwörd".toCharArray())).isTrue();
    assertThat(hasher.verify(hash, "p?ssw?rd".toCharArray())).isFalse();
    assertThat(hasher.verify(hash, "passwörd".toCharArray())).isFalse();
  }

  @Test
  void hasher_leaves_the_callers_password_array_intact_for_the_caller_to_wipe() {
    char[] password = "TestPass123!".toCharArray();

    String hash = hasher.hash(password);

    assertThat(password).containsExactly("TestPass123!".toCharArray());
    assertThat(hasher.verify(hash, password)).isTrue();
  }

  @Test
  void hash_that_is_not_argon2id_or_is_malformed_verifies_false_instead_of_throwing() {
    String good = hasher.hash("secret".toCharArray());
    String argon2i = good.replace("$argon2id$", "$argon2i$");
    String truncated = good.substring(0, good.lastIndexOf('$'));
    String badBase64 = good.substring(0, good.lastIndexOf('$') + 1) + "!!!not-base64!!!";

    assertThat(hasher.verify(argon2i, "secret".toCharArray())).isFalse();
    assertThat(hasher.verify(truncated, "secret".toCharArray())).isFalse();
    assertThat(hasher.verify(badBase64, "secret".toCharArray())).isFalse();
    assertThat(hasher.verify("", "secret".toCharArray())).isFalse();
    assertThat(hasher.verify(null, "secret".toCharArray())).isFalse();
  }

  @Test
  void description_names_the_parameters_and_nothing_secret() {
    assertThat(hasher).hasToString("Argon2PasswordHasher[argon2id, m=19456, t=2, p=1]");
  }
}
