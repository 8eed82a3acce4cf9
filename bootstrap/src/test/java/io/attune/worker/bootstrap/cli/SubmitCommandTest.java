package io.attune.worker.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.bootstrap.config.ConfigLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What submit refuses before it touches a database: bad and oversized parameters, with exit status 2. */
class SubmitCommandTest {

  private static final String PACKS = Path.of("../packs").toAbsolutePath().normalize().toString();

  private static Map<String, String> env(String... more) {
    Map<String, String> env = new java.util.HashMap<>(Map.of("ATTUNE_PACKS_DIR", PACKS,
        // nothing listens here: a test that got past the checks would fail to connect, not pass
        "ATTUNE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/none"));
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  @Test
  void parameters_above_the_cap_are_refused_with_exit_2_naming_the_size_and_the_limit() {
    String big = "{\"name\": \"" + "x".repeat(500) + "\"}";

    CliRun run = CliRun.withInput(big, env(ConfigLoader.MAX_PARAMETERS_BYTES, "100"), "submit", "demo.hello_shell",
        "--params", "-");

    assertThat(run.status()).isEqualTo(AttuneCommand.BAD_INPUT);
    assertThat(run.err()).contains("parameters of 511 bytes").contains("expected at most 100 bytes")
        .contains(ConfigLoader.MAX_PARAMETERS_BYTES);
  }

  @Test
  void the_default_cap_is_one_mebibyte() {
    String justOver = "{\"name\": \"" + "x".repeat(1024 * 1024) + "\"}";

    CliRun run = CliRun.withInput(justOver, env(), "submit", "demo.hello_shell", "--params", "-");

    assertThat(run.status()).isEqualTo(AttuneCommand.BAD_INPUT);
    assertThat(run.err()).contains("expected at most 1048576 bytes");
  }

  @Test
  void parameters_from_standard_input_must_be_one_json_object() {
    CliRun notJson = CliRun.withInput("{\"name\": ", env(), "submit", "demo.hello_shell", "--params", "-");
    CliRun notAnObject = CliRun.withInput("[1, 2]", env(), "submit", "demo.hello_shell", "--params", "-");

    assertThat(notJson.status()).isEqualTo(AttuneCommand.BAD_INPUT);
    assertThat(notJson.err()).contains("standard input").contains("not valid JSON");
    assertThat(notAnObject.status()).isEqualTo(AttuneCommand.BAD_INPUT);
    assertThat(notAnObject.err()).contains("expected a JSON object of parameters");
  }

  @Test
  void a_bad_cap_is_a_configuration_error_naming_the_variable() {
    CliRun run = CliRun.withInput("{}", env(ConfigLoader.MAX_PARAMETERS_BYTES, "lots"), "submit", "demo.hello_shell",
        "--params", "-");

    assertThat(run.status()).isEqualTo(AttuneCommand.BAD_INPUT);
    assertThat(run.err()).contains(ConfigLoader.MAX_PARAMETERS_BYTES + "='lots'").contains("expected a number of bytes");
  }
}
