package io.attune.worker.core.port.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.user.UserAccount;
import io.attune.worker.core.port.out.UserStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link UserStore} must do. Extend it with a factory for a fresh, empty store of your adapter. */
public abstract class UserStoreContract {

  private UserStore users;

  /** A store without users, called before each test. */
  protected abstract UserStore createUserStore();

  @BeforeEach
  public void createUserStoreUnderTest() {
    users = createUserStore();
  }

  @Test
  public void create_if_absent_inserts_a_new_account_that_can_be_found() {
    boolean created = users.createIfAbsent(new UserAccount("ada@example.org", "Ada", "$hash$one"));

    assertThat(created).isTrue();
    assertThat(users.find("ada@example.org")).get().satisfies(found -> {
      assertThat(found.login()).isEqualTo("ada@example.org");
      assertThat(found.displayName()).isEqualTo("Ada");
      assertThat(found.passwordHash()).isEqualTo("$hash$one");
    });
  }

  @Test
  public void create_if_absent_keeps_the_existing_account_of_the_same_login() {
    users.createIfAbsent(new UserAccount("ada@example.org", "Ada", "$hash$one"));

    boolean createdAgain = users.createIfAbsent(new UserAccount("ada@example.org", "Someone", "$hash$two"));

    assertThat(createdAgain).isFalse();
    assertThat(users.find("ada@example.org").orElseThrow().passwordHash()).isEqualTo("$hash$one");
    assertThat(users.find("ada@example.org").orElseThrow().displayName()).isEqualTo("Ada");
  }

  @Test
  public void an_unknown_login_is_not_found() {
    users.createIfAbsent(new UserAccount("ada@example.org", "Ada", "$hash$one"));

    assertThat(users.find("grace@example.org")).isEmpty();
  }

  @Test
  public void of_concurrent_creations_of_one_login_exactly_one_inserts_and_its_hash_is_kept() throws Exception {
    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Boolean>> answers = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        String hash = "$hash$" + t;
        Callable<Boolean> create = () -> {
          go.await();
          return users.createIfAbsent(new UserAccount("root@example.org", "Root", hash));
        };
        answers.add(pool.submit(create));
      }
      go.countDown();
      List<String> winners = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        if (answers.get(t).get(30, TimeUnit.SECONDS)) {
          winners.add("$hash$" + t);
        }
      }

      assertThat(winners).hasSize(1);
      assertThat(users.find("root@example.org").orElseThrow().passwordHash()).isEqualTo(winners.get(0));
    } finally {
      pool.shutdownNow();
    }
  }
}
