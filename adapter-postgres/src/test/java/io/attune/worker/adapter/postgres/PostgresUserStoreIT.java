package io.attune.worker.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.user.UserAccount;
import io.attune.worker.core.port.out.UserStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresUserStoreIT {

  @RegisterExtension
  static final MigratedDatabase db = new MigratedDatabase("users");
  private UserStore users;

  @BeforeEach
  void empty() {
    db.truncate();
    users = db.adapter().users();
  }

  @Test
  void an_account_is_stored_once_in_the_identity_table_with_its_hash() throws Exception {
    assertThat(users.createIfAbsent(new UserAccount("test@attune.local", "Test", "$argon2id$v=19$x"))).isTrue();
    assertThat(users.createIfAbsent(new UserAccount("test@attune.local", "Other", "$argon2id$v=19$y"))).isFalse();

    try (Connection c = db.jdbc(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT login, display_name, password_hash, attributes::text FROM identity")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isEqualTo("test@attune.local");
      assertThat(r.getString(2)).isEqualTo("Test");
      assertThat(r.getString(3)).isEqualTo("$argon2id$v=19$x");
      assertThat(r.getString(4)).isEqualTo("{}");
      assertThat(r.next()).isFalse();
    }
  }

  @Test
  void find_reads_the_account_back_equal() {
    UserAccount account = new UserAccount("ada@example.org", "Ada", "$hash");
    users.createIfAbsent(account);

    assertThat(users.find("ada@example.org")).contains(account);
    assertThat(users.find("nobody@example.org")).isEmpty();
  }
}
