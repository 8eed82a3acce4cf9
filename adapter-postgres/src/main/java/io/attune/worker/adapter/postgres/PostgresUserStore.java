package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.jooq.Tables.IDENTITY;

import io.attune.worker.core.model.user.UserAccount;
import io.attune.worker.core.port.out.UserStore;
import java.util.Optional;

/** User accounts on the {@code identity} table. */
final class PostgresUserStore implements UserStore {

  private final Database db;

  PostgresUserStore(Database db) {
    this.db = db;
  }

  @Override
  public boolean createIfAbsent(UserAccount account) {
    // of two concurrent inserts of one login, the unique index lets one through and the other does nothing
    return db.call("create user " + account.login(), dsl -> dsl.insertInto(IDENTITY)
        .set(IDENTITY.LOGIN, account.login())
        .set(IDENTITY.DISPLAY_NAME, account.displayName())
        .set(IDENTITY.PASSWORD_HASH, account.passwordHash())
        .onConflict(IDENTITY.LOGIN).doNothing()
        .execute()) == 1;
  }

  @Override
  public Optional<UserAccount> find(String login) {
    return db.call("find user " + login, dsl -> dsl.selectFrom(IDENTITY).where(IDENTITY.LOGIN.eq(login))
        .fetchOptional()
        .map(row -> new UserAccount(row.getLogin(), row.getDisplayName(), row.getPasswordHash())));
  }
}
