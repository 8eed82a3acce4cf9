package io.attune.worker.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.testsupport.process.Scripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code capabilities} against scripted binaries on a temporary PATH. */
class CapabilitiesCommandTest {

  @TempDir
  Path bin;

  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void machineWithPythonAndNode() {
    Scripts.printing(bin, "python3", "Python 3.11.2", 0);
    Scripts.printing(bin, "node", "v20.11.1", 0);
    Scripts.printing(bin, "ruby", "ruby: broken install", 3);
    env.put("PATH", bin.toString());
    env.put("HOME", bin.toString());
    env.put("ATTUNE_WORKER_NAME", "golden-worker");
  }

  @Test
  void auto_detection_json_matches_the_golden_file() throws IOException {
    CliRun run = CliRun.of(env, "capabilities", "--json");

    assertThat(run.status()).as(run.err()).isZero();
    String golden = Files.readString(Path.of("src/test/resources/golden/capabilities-auto-detect.json"));
    assertThat(run.out().replace(bin.toString(), "$BIN").strip()).isEqualTo(golden.strip());
  }

  @Test
  void the_environment_tier_wins_and_its_runtimes_get_probed_versions() {
    env.put("ATTUNE_WORKER_RUNTIMES", " Python3 , bash,ml ");
    CliRun run = CliRun.of(env, "capabilities", "--json");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("\"source\" : \"environment\"")
        .contains("\"runtimes\" : [ \"ml\", \"python\", \"shell\" ]")
        .contains("\"python\" : [ \"3.11.2\" ]")
        .doesNotContain("\"node\" : [");
  }

  @Test
  void an_environment_value_without_names_falls_back_with_a_warning() {
    env.put("ATTUNE_WORKER_RUNTIMES", " , ,");
    CliRun run = CliRun.of(env, "capabilities", "--json");

    assertThat(run.status()).isZero();
    assertThat(run.out()).contains("\"source\" : \"auto-detect\"").contains("yields no runtime name");
  }

  @Test
  void the_config_file_tier_is_used_when_the_environment_is_silent() throws IOException {
    Path config = bin.resolve("worker.yaml");
    Files.writeString(config, "worker:\n  capabilities:\n    runtimes: [shell, nodejs]\n"
        + "    max_concurrent_executions: 4\n    labels: {zone: east}\n    gpu_memory: 16GB\n");
    CliRun run = CliRun.of(env, "capabilities", "--json", "--config", config.toString());

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("\"source\" : \"config\"").contains("\"runtimes\" : [ \"node\", \"shell\" ]")
        .contains("\"max_concurrent_executions\" : 4").contains("\"gpu_memory\" : \"16GB\"")
        .contains("\"node\" : [ \"20.11.1\" ]");
  }

  @Test
  void a_malformed_runtime_in_the_config_file_exits_2_naming_file_and_entry() throws IOException {
    Path config = bin.resolve("bad.yaml");
    Files.writeString(config, "worker:\n  capabilities:\n    runtimes: [shell, \"py thon\"]\n");
    CliRun run = CliRun.of(env, "capabilities", "--config", config.toString());

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains(config.toString()).contains("worker.capabilities.runtimes[1]")
        .contains("py thon");
  }

  @Test
  void a_yaml_syntax_error_names_the_line() throws IOException {
    Path config = bin.resolve("broken.yaml");
    Files.writeString(config, "worker:\n  name: a\n   type: [unclosed\n");
    CliRun run = CliRun.of(env, "capabilities", "--config", config.toString());

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains(config.toString()).contains("line 3");
  }

  @Test
  void an_unknown_config_key_exits_2_and_lists_the_expected_ones() throws IOException {
    Path config = bin.resolve("typo.yaml");
    Files.writeString(config, "worker:\n  capabilites: {}\n");
    CliRun run = CliRun.of(env, "capabilities", "--config", config.toString());

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("worker.capabilites").contains("capabilities");
  }

  @Test
  void a_bad_concurrency_variable_exits_2_naming_the_variable() {
    env.put("ATTUNE_WORKER_MAX_CONCURRENT_EXECUTIONS", "lots");
    CliRun run = CliRun.of(env, "capabilities");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("ATTUNE_WORKER_MAX_CONCURRENT_EXECUTIONS").contains("positive integer");
  }

  @Test
  void the_readable_output_is_a_table_with_the_source() {
    CliRun run = CliRun.of(env, "capabilities");

    assertThat(run.status()).isZero();
    assertThat(run.out()).contains("[from auto-detect]").contains("RUNTIME").contains("3.11.2")
        .contains("ruby: exit status 3");
  }

  /** A packs folder whose pack {@code ml} defines the runtime ml, run by the scripted {@code ml-python}. */
  private Path mlPack(String packYaml) throws IOException {
    Path packs = bin.resolve("packs");
    Files.createDirectories(packs.resolve("ml/actions"));
    Files.writeString(packs.resolve("ml/pack.yaml"), packYaml);
    Files.writeString(packs.resolve("ml/actions/train.sh"), "echo trained\n");
    Files.writeString(packs.resolve("ml/actions/train.yaml"), "runtime: ml\nentry_point: train.sh\n");
    env.put("ATTUNE_PACKS_DIR", packs.toString());
    return packs;
  }

  private static final String ML_PACK = "runtimes:\n  ml:\n    command: ml-python\n    args: [-u]\n";

  @Test
  void auto_detection_advertises_a_runtime_a_pack_defines_with_its_version_and_pack() throws IOException {
    Scripts.printing(bin, "ml-python", "ml-python 1.4.2", 0);
    mlPack(ML_PACK);

    CliRun run = CliRun.of(env, "capabilities", "--json");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("\"runtimes\" : [ \"ml\", \"native\", \"node\", \"python\", \"shell\" ]")
        .contains("\"ml\" : [ \"1.4.2\" ]")
        .contains("\"name\" : \"ml-python\",\n    \"runtime\" : \"ml\",\n    \"path\" : \"" + bin.resolve("ml-python")
            + "\",\n    \"version\" : \"1.4.2\",\n    \"pack\" : \"ml\",\n    \"args\" : [ \"-u\" ]");
  }

  @Test
  void the_readable_table_names_the_pack_and_the_arguments() throws IOException {
    Scripts.printing(bin, "ml-python", "ml-python 1.4.2", 0);
    mlPack(ML_PACK);

    CliRun run = CliRun.of(env, "capabilities");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("ml +1\\.4\\.2 +" + java.util.regex.Pattern.quote(
        bin.resolve("ml-python") + " -u   [pack ml]"));
  }

  @Test
  void a_pack_runtime_whose_interpreter_is_missing_is_not_advertised_and_says_why() throws IOException {
    mlPack(ML_PACK);

    CliRun run = CliRun.of(env, "capabilities", "--json");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).doesNotContain("\"ml\"").contains("ml-python: not found on PATH");
  }

  @Test
  void the_config_file_s_interpreter_wins_over_the_pack_s_command_and_drops_its_arguments() throws IOException {
    Scripts.printing(bin, "ml-python", "ml-python 1.4.2", 0);
    Scripts.printing(bin, "site-ml", "site-ml 2.0.1", 0);
    mlPack(ML_PACK);
    Path config = bin.resolve("worker.yaml");
    Files.writeString(config, "worker:\n  interpreters:\n    ml: " + bin.resolve("site-ml") + "\n");

    CliRun run = CliRun.of(env, "capabilities", "--json", "--config", config.toString());

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("\"ml\" : [ \"2.0.1\" ]")
        .contains("\"path\" : \"" + bin.resolve("site-ml") + "\",\n    \"version\" : \"2.0.1\",\n    \"pack\" : \"ml\",\n"
            + "    \"args\" : [ ]")
        .doesNotContain("1.4.2");
  }

  @Test
  void a_declared_pack_runtime_gets_the_version_of_the_pack_s_interpreter() throws IOException {
    Scripts.printing(bin, "ml-python", "ml-python 1.4.2", 0);
    mlPack(ML_PACK);
    env.put("ATTUNE_WORKER_RUNTIMES", "shell,ml");

    CliRun run = CliRun.of(env, "capabilities", "--json");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("\"source\" : \"environment\"").contains("\"runtimes\" : [ \"ml\", \"shell\" ]")
        .contains("\"ml\" : [ \"1.4.2\" ]");
  }

  @Test
  void a_broken_pack_file_is_a_warning_naming_file_key_and_line_and_capabilities_still_print() throws IOException {
    Scripts.printing(bin, "ml-python", "ml-python 1.4.2", 0);
    Path packs = mlPack("runtimes:\n  python:\n    command: ml-python\n");

    CliRun run = CliRun.of(env, "capabilities", "--json");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).doesNotContain("\"ml\"").contains(packs.resolve("ml/pack.yaml")
        + ": runtimes.python (line 2): expected a custom runtime name: 'python' is the built-in runtime python");
  }

  /** An nvidia-smi that answers the probe's query with the lines given, and anything else with exit 9. */
  private void nvidiaSmi(String script) throws IOException {
    Path file = bin.resolve("nvidia-smi");
    Files.writeString(file, "#!/bin/sh\n[ \"$1 $2\" = '--query-gpu=name,memory.total --format=csv,noheader,nounits' ]"
        + " || exit 9\n" + script + "\n");
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void gpus_from_a_scripted_nvidia_smi_and_the_packs_served_match_the_golden_file() throws IOException {
    nvidiaSmi("echo 'NVIDIA A100-SXM4-80GB, 81920'\necho 'NVIDIA A100-SXM4-80GB, 81920'");
    env.put("ATTUNE_WORKER_RUNTIMES", "shell,python");
    env.put("ATTUNE_WORKER_PACKS", " ml, core ");
    CliRun run = CliRun.of(env, "capabilities", "--json");

    assertThat(run.status()).as(run.err()).isZero();
    String golden = Files.readString(Path.of("src/test/resources/golden/capabilities-gpu.json"));
    assertThat(run.out().replace(bin.toString(), "$BIN").strip()).isEqualTo(golden.strip());
  }

  @Test
  void the_readable_output_names_the_gpus_and_the_packs() throws IOException {
    nvidiaSmi("echo 'Tesla T4, 15360'");
    CliRun run = CliRun.of(env, "capabilities");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("gpus         1: Tesla T4 (15360 MiB)").contains("packs        all");
  }

  @Test
  void a_hanging_nvidia_smi_is_a_warning_and_no_gpu() throws IOException {
    nvidiaSmi("/bin/sleep 30");
    env.put("ATTUNE_PROBE_TIMEOUT_SECONDS", "1");
    CliRun run = CliRun.of(env, "capabilities", "--json");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).doesNotContain("\"gpus\"").contains("nvidia-smi: timed out after 1s; no GPU advertised");
  }

  @Test
  void garbage_from_nvidia_smi_is_a_warning_naming_what_was_expected() throws IOException {
    nvidiaSmi("echo 'Failed to initialize NVML: Driver/library version mismatch'");
    CliRun run = CliRun.of(env, "capabilities", "--json");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).doesNotContain("\"gpus\"")
        .contains("nvidia-smi: unexpected output 'Failed to initialize NVML: Driver/library version mismatch'")
        .contains("expected one line per GPU");
  }

  @Test
  void packs_come_from_the_config_file_unless_the_environment_names_some() throws IOException {
    Path config = bin.resolve("packs.yaml");
    Files.writeString(config, "worker:\n  packs: [core]\n");

    CliRun fromFile = CliRun.of(env, "capabilities", "--json", "--config", config.toString());
    env.put("ATTUNE_WORKER_PACKS", "ml");
    CliRun fromEnv = CliRun.of(env, "capabilities", "--json", "--config", config.toString());

    assertThat(fromFile.status()).as(fromFile.err()).isZero();
    assertThat(fromFile.out()).contains("\"packs\" : [ \"core\" ]");
    assertThat(fromEnv.out()).contains("\"packs\" : [ \"ml\" ]");
  }

  @Test
  void a_bad_pack_name_exits_2_naming_the_variable_or_the_file_entry() throws IOException {
    env.put("ATTUNE_WORKER_PACKS", "core,m l");
    CliRun badEnv = CliRun.of(env, "capabilities");
    env.remove("ATTUNE_WORKER_PACKS");
    Path config = bin.resolve("bad-packs.yaml");
    Files.writeString(config, "worker:\n  packs: [core, \"a.b\"]\n");
    CliRun badFile = CliRun.of(env, "capabilities", "--config", config.toString());

    assertThat(badEnv.status()).isEqualTo(2);
    assertThat(badEnv.err()).contains("ATTUNE_WORKER_PACKS entry 'm l'").contains("expected comma-separated pack names");
    assertThat(badFile.status()).isEqualTo(2);
    assertThat(badFile.err()).contains(config.toString()).contains("worker.packs[1] = 'a.b'")
        .contains("expected a pack name");
  }
}
