package io.attune.worker.core.adapter.out.memory;

import io.attune.worker.core.model.user.UserAccount;
import io.attune.worker.core.port.out.UserStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A thread-safe user store in memory. */
public final class InMemoryUserStore implements UserStore {

  private final Map<String, UserAccount> byLogin = new ConcurrentHashMap<>();

  @Override
  public boolean createIfAbsent(UserAccount account) {
    return byLogin.putIfAbsent(account.login(), account) == null;
  }

  @Override
  public Optional<UserAccount> find(String login) {
    return Optional.ofNullable(byLogin.get(login));
  }
}
