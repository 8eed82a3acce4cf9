package io.attune.worker.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.bootstrap.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void an_action_whose_file_is_broken_is_refused_with_exit_2_naming_the_file_the_key_and_its_line(
      @TempDir Path root) throws IOException {
    Path actions = Files.createDirectories(root.resolve("p/actions"));
    Files.writeString(actions.resolve("run.sh"), "echo hi\n");
    Files.writeString(actions.resolve("good.yaml"), "runtime: shell\nentry_point: run.sh\n");
    Files.writeString(actions.resolve("broken.yaml"), "runtime: shell\nentry_point: run.sh\ntimeout_seconds: soon\n");
    Map<String, String> env = env("ATTUNE_PACKS_DIR", root.toString());

    CliRun broken = CliRun.of(env, "submit", "p.broken");
    CliRun unknown = CliRun.of(env, "submit", "p.nothing");

    assertThat(broken.status()).isEqualTo(AttuneCommand.BAD_INPUT);
    assertThat(broken.err()).contains(actions.resolve("broken.yaml") + ": timeout_seconds = 'soon' (line 3): "
        + "expected an integer (action p.broken is skipped until this is fixed)").doesNotContain("expected one of");
    assertThat(unknown.status()).isEqualTo(AttuneCommand.BAD_INPUT);
    assertThat(unknown.err()).contains("ACTION_REF: 'p.nothing': expected one of [p.good]");
  }

  @Test
  void an_action_of_a_pack_whose_pack_file_is_broken_names_the_pack_file(@TempDir Path root) throws IOException {
    Path pack = Files.createDirectories(root.resolve("ml/actions"));
    Files.writeString(pack.resolve("train.sh"), "echo hi\n");
    Files.writeString(pack.resolve("train.yaml"), "runtime: ml\nentry_point: train.sh\n");
    Files.writeString(root.resolve("ml/pack.yaml"), "runtimes:\n  ml:\n    comand: python3\n");

    CliRun run = CliRun.of(env("ATTUNE_PACKS_DIR", root.toString()), "submit", "ml.train");

    assertThat(run.status()).isEqualTo(AttuneCommand.BAD_INPUT);
    assertThat(run.err()).contains(root.resolve("ml/pack.yaml") + ": runtimes.ml.comand (line 3): unknown key: "
        + "expected one of [args, command, description, version_args] (action ml.train is skipped until this is "
        + "fixed, with the rest of pack ml)");
  }

  @Test
  void a_nul_character_in_a_param_is_refused_with_exit_2_naming_the_parameter() {
    CliRun run = CliRun.of(env(), "submit", "demo.hello_shell", "--param", "name=a\0b");

    assertThat(run.status()).isEqualTo(AttuneCommand.BAD_INPUT);
    assertThat(run.err()).contains("--param: demo.hello_shell: parameter 'name' holds a NUL character (U+0000), "
        + "which cannot be stored").doesNotContain("22P05").doesNotContain("\0");
  }

  @Test
  void a_nul_character_deep_in_the_params_file_is_refused_naming_its_path_key_or_value(@TempDir Path root)
      throws IOException {
    Path actions = Files.createDirectories(root.resolve("p/actions"));
    Files.writeString(actions.resolve("draw.sh"), "echo hi\n");
    Files.writeString(actions.resolve("draw.yaml"), "runtime: shell\nentry_point: draw.sh\nparameters:\n"
        + "  config: {type: object}\n");
    Map<String, String> env = env("ATTUNE_PACKS_DIR", root.toString());
    Path file = root.resolve("params.json");
    Files.writeString(file, "{\"config\": {\"items\": [\"a\", \"b\", \"c\\u0000\"]}}");

    CliRun fromFile = CliRun.of(env, "submit", "p.draw", "--params", file.toString());
    CliRun key = CliRun.withInput("{\"config\": {\"ke\\u0000y\": 1}}", env, "submit", "p.draw", "--params", "-");
    CliRun inline = CliRun.of(env, "submit", "p.draw", "--param", "config={\"items\": [1, 2, \"\\u0000\"]}");

    assertThat(fromFile.status()).isEqualTo(AttuneCommand.BAD_INPUT);
    assertThat(fromFile.err()).contains("--params " + file + ": p.draw: parameter 'config.items[2]' holds a NUL "
        + "character (U+0000)");
    assertThat(key.status()).isEqualTo(AttuneCommand.BAD_INPUT);
    assertThat(key.err()).contains("--params -: p.draw: parameter 'config.ke\\u0000y' holds a NUL character");
    assertThat(inline.status()).isEqualTo(AttuneCommand.BAD_INPUT);
    assertThat(inline.err()).contains("parameter 'config.items[2]' holds a NUL character");
  }
}
