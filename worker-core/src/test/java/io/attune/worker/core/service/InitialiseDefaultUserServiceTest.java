package io.attune.worker.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.adapter.out.memory.InMemoryUserStore;
import io.attune.worker.core.model.user.DefaultUser;
import io.attune.worker.core.model.user.UserAccount;
import io.attune.worker.core.port.in.InitialiseDefaultUserUseCase.Credentials;
import io.attune.worker.core.port.in.InitialiseDefaultUserUseCase.Initialisation;
import io.attune.worker.core.port.out.PasswordHasher;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InitialiseDefaultUserServiceTest {

  private final InMemoryUserStore users = new InMemoryUserStore();
  private final FakeHasher hasher = new FakeHasher();
  private final InitialiseDefaultUserService service = new InitialiseDefaultUserService(users, hasher);

  private static Credentials credentials(String password) {
    return new Credentials(DefaultUser.LOGIN, DefaultUser.DISPLAY_NAME, password.toCharArray());
  }

  @Test
  void the_user_is_created_once_with_a_hash_of_its_password() {
    Initialisation first = service.initialise(credentials("s3cret-Pass"));
    Initialisation second = service.initialise(credentials("another-Pass"));

    assertThat(first.created()).isTrue();
    assertThat(first.login()).isEqualTo(DefaultUser.LOGIN);
    assertThat(second.created()).isFalse();
    assertThat(hasher.hashes).isEqualTo(1);
    UserAccount stored = users.find(DefaultUser.LOGIN).orElseThrow();
    assertThat(stored.displayName()).isEqualTo(DefaultUser.DISPLAY_NAME);
    assertThat(stored.passwordHash()).doesNotContain("s3cret-Pass");
    assertThat(hasher.verify(stored.passwordHash(), "s3cret-Pass".toCharArray())).isTrue();
    assertThat(hasher.verify(stored.passwordHash(), "another-Pass".toCharArray())).isFalse();
  }

  @Test
  void the_default_password_is_accepted_with_a_warning() {
    Initialisation result = service.initialise(credentials(DefaultUser.PASSWORD));

    assertThat(result.created()).isTrue();
    assertThat(result.warnings()).singleElement().asString()
        .contains("default password").contains(DefaultUser.LOGIN).doesNotContain(DefaultUser.PASSWORD);
  }

  @Test
  void the_default_password_is_warned_about_even_when_the_user_exists() {
    service.initialise(credentials(DefaultUser.PASSWORD));

    assertThat(service.initialise(credentials(DefaultUser.PASSWORD)).warnings()).hasSize(1);
  }

  @Test
  void a_password_of_one_s_own_gives_no_warning() {
    assertThat(service.initialise(credentials("Correct-Horse-9")).warnings()).isEmpty();
  }

  @Test
  void the_password_array_is_wiped_whether_the_user_was_created_or_not() {
    char[] first = "s3cret-Pass".toCharArray();
    char[] second = "s3cret-Pass".toCharArray();

    service.initialise(new Credentials(DefaultUser.LOGIN, null, first));
    service.initialise(new Credentials(DefaultUser.LOGIN, null, second));

    char[] wiped = new char[first.length];
    assertThat(first).isEqualTo(wiped);
    assertThat(second).isEqualTo(wiped);
  }

  @Test
  void credentials_never_print_the_password_and_accounts_never_print_the_hash() {
    assertThat(credentials("s3cret-Pass").toString()).doesNotContain("s3cret").contains("***");
    assertThat(new UserAccount("a@b.c", "A", "$argon2id$secret-hash").toString()).doesNotContain("secret-hash");
  }

  /** Hashes by reversing the password behind a prefix: enough to tell hash from password and to verify. */
  private static final class FakeHasher implements PasswordHasher {
    int hashes;

    @Override
    public String hash(char[] password) {
      hashes++;
      char[] reversed = password.clone();
      for (int i = 0; i < reversed.length / 2; i++) {
        char c = reversed[i];
        reversed[i] = reversed[reversed.length - 1 - i];
        reversed[reversed.length - 1 - i] = c;
      }
      String hash = "$fake$" + new String(reversed);
      Arrays.fill(reversed, '\0');
      return hash;
    }

    @Override
    public boolean verify(String hash, char[] password) {
      return hash.equals(hash(password));
    }
  }
}
