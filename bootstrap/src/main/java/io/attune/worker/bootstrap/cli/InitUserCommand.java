package io.attune.worker.bootstrap.cli;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.bootstrap.config.Setting;
import io.attune.worker.bootstrap.config.Settings;
import io.attune.worker.bootstrap.security.Argon2PasswordHasher;
import io.attune.worker.bootstrap.wiring.Services;
import io.attune.worker.core.model.user.DefaultUser;
import io.attune.worker.core.port.in.InitialiseDefaultUserUseCase.Credentials;
import io.attune.worker.core.port.in.InitialiseDefaultUserUseCase.Initialisation;
import io.attune.worker.core.service.InitialiseDefaultUserService;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Creates the default user unless it exists. */
@Command(name = "init-user", mixinStandardHelpOptions = true,
    description = {"Create the default user unless it exists (idempotent, safe when two run at once). The password "
        + "is hashed with Argon2id (19 MiB, 2 iterations, parallelism 1) at run time. The settings below name it."})
final class InitUserCommand implements Callable<Integer> {

  static final String LOGIN = Settings.INIT_USER_LOGIN.variableName();
  static final String PASSWORD = Settings.INIT_USER_PASSWORD.variableName();
  static final String DISPLAY_NAME = Settings.INIT_USER_DISPLAY_NAME.variableName();
  static final String WAIT = Settings.INIT_USER_WAIT.variableName();
  private static final Setting.Whole WAIT_RANGE = Settings.INIT_USER_WAIT.whole().orElseThrow();

  @picocli.CommandLine.ParentCommand
  private AttuneCommand parent;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> env = parent.environment();
    int waitSeconds = parseWait(env.get(WAIT));
    Credentials credentials = new Credentials(value(env, LOGIN).orElse(DefaultUser.LOGIN),
        value(env, DISPLAY_NAME).orElse(DefaultUser.DISPLAY_NAME),
        value(env, PASSWORD).orElse(DefaultUser.PASSWORD).toCharArray());
    try (PostgresAdapter postgres = Services.postgresWhenReachable(parent.config(), Duration.ofSeconds(waitSeconds),
        parent.clock(), parent.err()::println)) {
      postgres.requireCurrentSchema();
      Initialisation result = new InitialiseDefaultUserService(postgres.users(), new Argon2PasswordHasher())
          .initialise(credentials);
      for (String warning : result.warnings()) {
        parent.err().println("WARNING: " + warning);
      }
      parent.out().println(result.created() ? "created user " + result.login()
          : "user " + result.login() + " already exists: nothing changed");
      parent.out().flush();
    }
    return 0;
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
  }

  private static int parseWait(String text) {
    if (text == null || text.isBlank()) {
      return (int) WAIT_RANGE.defaultValue();
    }
    try {
      int seconds = Integer.parseInt(text.trim());
      if (seconds >= WAIT_RANGE.min()) {
        return seconds;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new io.attune.worker.core.error.ConfigurationException("environment", WAIT + "='" + text + "'",
        WAIT_RANGE.expected());
  }
}
