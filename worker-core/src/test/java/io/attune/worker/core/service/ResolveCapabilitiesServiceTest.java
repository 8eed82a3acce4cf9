package io.attune.worker.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.capability.CapabilityDeclaration;
import io.attune.worker.core.model.capability.CapabilitySource;
import io.attune.worker.core.model.capability.Gpu;
import io.attune.worker.core.model.capability.Interpreter;
import io.attune.worker.core.model.capability.ResolvedCapabilities;
import io.attune.worker.core.model.capability.Taint;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.runtime.KnownRuntime;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.port.out.CapabilityConfiguration;
import io.attune.worker.core.port.out.Environment;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResolveCapabilitiesServiceTest {

  private static final String FILE = "/etc/attune/worker.yaml";

  private final Map<String, String> env = new HashMap<>();
  private CapabilityConfiguration config = CapabilityConfiguration.none();
  private final ScriptedProbe probe = new ScriptedProbe();

  private ResolvedCapabilities resolve() {
    return new ResolveCapabilitiesService(Environment.of(env), config, probe).resolve();
  }

  private void configDeclares(Object... runtimes) {
    declare(CapabilityDeclaration.ofRuntimes(FILE, Arrays.asList(runtimes)));
  }

  private void declare(CapabilityDeclaration declaration) {
    config = () -> Optional.of(declaration);
  }

  private static List<String> names(ResolvedCapabilities resolved) {
    return resolved.capabilities().runtimes().stream().map(RuntimeName::value).toList();
  }

  @Test
  void the_environment_wins_over_the_config_file_and_is_canonical_sorted_and_free_of_duplicates() {
    env.put(Environment.WORKER_RUNTIMES, " Python3, bash,python , ML,,");
    configDeclares("node");
    probe.finds("python", "python3", "3.11.2").finds("node", "node", "20.11.1");

    ResolvedCapabilities resolved = resolve();

    assertThat(resolved.source()).isEqualTo(CapabilitySource.ENVIRONMENT);
    assertThat(names(resolved)).containsExactly("ml", "python", "shell");
    assertThat(resolved.warnings()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " , ,", ",", "   "})
  void an_environment_value_that_yields_no_name_is_ignored_with_a_warning(String value) {
    env.put(Environment.WORKER_RUNTIMES, value);
    configDeclares("python", "shell");
    probe.finds("python", "python3", "3.11.2");

    ResolvedCapabilities resolved = resolve();

    assertThat(resolved.source()).isEqualTo(CapabilitySource.CONFIG);
    assertThat(names(resolved)).containsExactly("python", "shell");
    assertThat(resolved.warnings()).singleElement().asString()
        .contains(Environment.WORKER_RUNTIMES).contains("'" + value + "'").contains("yields no runtime name");
  }

  @Test
  void an_empty_environment_value_without_config_falls_through_to_auto_detection() {
    env.put(Environment.WORKER_RUNTIMES, "");

    ResolvedCapabilities resolved = resolve();

    assertThat(resolved.source()).isEqualTo(CapabilitySource.AUTO_DETECT);
    assertThat(names(resolved)).containsExactly("native", "shell");
    assertThat(resolved.warnings()).anySatisfy(w -> assertThat(w).contains("yields no runtime name"));
  }

  @Test
  void invalid_names_in_the_environment_are_warned_about_and_skipped() {
    env.put(Environment.WORKER_RUNTIMES, "python, my runtime, -bad");

    ResolvedCapabilities resolved = resolve();

    assertThat(resolved.source()).isEqualTo(CapabilitySource.ENVIRONMENT);
    assertThat(names(resolved)).containsExactly("python");
    assertThat(resolved.warnings()).hasSize(3)
        .anySatisfy(w -> assertThat(w).contains("'my runtime' is not a runtime name"))
        .anySatisfy(w -> assertThat(w).contains("'-bad' is not a runtime name"))
        .anySatisfy(w -> assertThat(w).contains("runtime python is declared (environment)"));
  }

  @Test
  void an_environment_of_only_invalid_names_falls_through() {
    env.put(Environment.WORKER_RUNTIMES, "my runtime");
    configDeclares("node");

    ResolvedCapabilities resolved = resolve();

    assertThat(resolved.source()).isEqualTo(CapabilitySource.CONFIG);
    assertThat(resolved.warnings())
        .anySatisfy(w -> assertThat(w).contains("'my runtime' is not a runtime name"))
        .anySatisfy(w -> assertThat(w).contains("yields no runtime name"));
  }

  @Test
  void the_config_file_is_used_when_the_environment_says_nothing() {
    configDeclares("python3", "Shell", "ml", "python");

    ResolvedCapabilities resolved = resolve();

    assertThat(resolved.source()).isEqualTo(CapabilitySource.CONFIG);
    assertThat(names(resolved)).containsExactly("ml", "python", "shell");
  }

  @Test
  void a_non_string_entry_in_the_config_file_is_a_configuration_error_naming_file_and_entry() {
    configDeclares("python", 3);

    assertThatThrownBy(this::resolve)
        .isInstanceOfSatisfying(ConfigurationException.class, e -> {
          assertThat(e.source()).isEqualTo(FILE);
          assertThat(e.entry()).isEqualTo("worker.capabilities.runtimes[1] = 3");
          assertThat(e.expected()).contains("expected a string");
        })
        .hasMessageStartingWith(FILE + ": worker.capabilities.runtimes[1]");
  }

  @Test
  void a_nested_list_in_the_config_file_is_a_configuration_error() {
    configDeclares(List.of("python"));

    assertThatThrownBy(this::resolve).isInstanceOfSatisfying(ConfigurationException.class,
        e -> assertThat(e.entry()).startsWith("worker.capabilities.runtimes[0]"));
  }

  @Test
  void an_invalid_name_in_the_config_file_is_a_configuration_error_naming_file_and_entry() {
    configDeclares("shell", "my runtime");

    assertThatThrownBy(this::resolve)
        .isInstanceOfSatisfying(ConfigurationException.class, e -> {
          assertThat(e.source()).isEqualTo(FILE);
          assertThat(e.entry()).isEqualTo("worker.capabilities.runtimes[1] = 'my runtime'");
          assertThat(e.expected()).contains("runtime name");
        });
  }

  @Test
  void an_empty_runtime_list_in_the_config_file_falls_through_to_auto_detection_with_a_warning() {
    configDeclares();
    probe.finds("python", "python3", "3.11.2");

    ResolvedCapabilities resolved = resolve();

    assertThat(resolved.source()).isEqualTo(CapabilitySource.AUTO_DETECT);
    assertThat(names(resolved)).containsExactly("native", "python", "shell");
    assertThat(resolved.warnings()).singleElement().asString()
        .contains(FILE).contains("empty list");
  }

  @Test
  void a_config_file_without_runtimes_falls_through_to_auto_detection_silently() {
    declare(CapabilityDeclaration.empty(FILE));

    ResolvedCapabilities resolved = resolve();

    assertThat(resolved.source()).isEqualTo(CapabilitySource.AUTO_DETECT);
    assertThat(resolved.warnings()).isEmpty();
  }

  @Test
  void auto_detection_offers_shell_and_native_and_every_runtime_found() {
    probe.finds("python", "python3", "3.11.2").finds("node", "node", "20.11.1").finds("java", "java", "17.0.15");

    ResolvedCapabilities resolved = resolve();

    assertThat(resolved.source()).isEqualTo(CapabilitySource.AUTO_DETECT);
    assertThat(names(resolved)).containsExactly("java", "native", "node", "python", "shell");
    assertThat(probe.asked()).containsExactly(KnownRuntime.PROBED.stream().map(KnownRuntime::name).toList());
    assertThat(resolved.capabilities().versionsOf(RuntimeName.PYTHON)).containsExactly(Version.parse("3.11.2"));
    assertThat(resolved.capabilities().versionsOf(RuntimeName.NODE)).containsExactly(Version.parse("20.11.1"));
    assertThat(resolved.interpreters()).extracting(Interpreter::binary).containsExactly("python3", "node", "java");
  }

  @Test
  void auto_detection_on_a_bare_machine_offers_shell_and_native_only() {
    ResolvedCapabilities resolved = resolve();

    assertThat(names(resolved)).containsExactly("native", "shell");
    assertThat(resolved.capabilities().runtimeVersions()).isEmpty();
    assertThat(resolved.interpreters()).isEmpty();
  }

  @Test
  void the_probe_s_warnings_are_passed_on() {
    probe.warns("python3: timed out after 2s");

    assertThat(resolve().warnings()).containsExactly("python3: timed out after 2s");
  }

  @Test
  void declared_runtimes_found_on_the_machine_get_their_versions_whatever_the_tier() {
    probe.finds("python", "python3", "3.11.2").finds("node", "node", "20.11.1").finds("ruby", "ruby", "3.2.3");
    env.put(Environment.WORKER_RUNTIMES, "python,node,shell,ml");

    ResolvedCapabilities fromEnv = resolve();
    env.clear();
    configDeclares("python", "shell");
    ResolvedCapabilities fromConfig = resolve();

    assertThat(fromEnv.capabilities().runtimeVersions()).containsOnlyKeys(RuntimeName.PYTHON, RuntimeName.NODE);
    assertThat(fromEnv.interpreters()).extracting(Interpreter::runtime)
        .containsExactlyInAnyOrder(RuntimeName.PYTHON, RuntimeName.NODE);
    assertThat(fromConfig.capabilities().runtimeVersions()).containsOnlyKeys(RuntimeName.PYTHON);
    assertThat(fromConfig.capabilities().offers(RuntimeName.of("ruby"))).isFalse();
    assertThat(probe.asked()).hasSize(2);
    assertThat(probe.asked().get(0)).containsExactlyInAnyOrder(RuntimeName.PYTHON, RuntimeName.NODE);
    assertThat(probe.asked().get(1)).containsExactly(RuntimeName.PYTHON);
  }

  @Test
  void a_declared_runtime_not_found_is_advertised_without_version_and_with_a_warning() {
    env.put(Environment.WORKER_RUNTIMES, "python,node");
    probe.finds("python", "python3", "3.11.2");

    ResolvedCapabilities resolved = resolve();

    assertThat(names(resolved)).containsExactly("node", "python");
    assertThat(resolved.capabilities().versionsOf(RuntimeName.NODE)).isEmpty();
    assertThat(resolved.warnings()).singleElement().asString()
        .contains("runtime node is declared (environment)").contains("[node, nodejs]");
  }

  @Test
  void declared_runtimes_that_cannot_be_probed_are_not_probed_but_gpus_are_looked_for() {
    env.put(Environment.WORKER_RUNTIMES, "shell,ml");
    probe.finds("python", "python3", "3.11.2");

    ResolvedCapabilities resolved = resolve();

    assertThat(probe.asked()).containsExactly(List.of());
    assertThat(probe.gpuProbes()).isEqualTo(1);
    assertThat(resolved.interpreters()).isEmpty();
    assertThat(resolved.capabilities().runtimeVersions()).isEmpty();
  }

  private static final KnownRuntime ML = new KnownRuntime(RuntimeName.of("ml"), List.of("ml-python"),
      List.of("--version"));

  private ResolvedCapabilities resolveWith(List<KnownRuntime> defined) {
    return new ResolveCapabilitiesService(Environment.of(env), config, probe, defined).resolve();
  }

  @Test
  void auto_detection_probes_a_defined_runtime_with_the_built_in_ones_and_advertises_it_when_found() {
    probe.finds("python", "python3", "3.11.2").finds("ml", "ml-python", "1.4.2");

    ResolvedCapabilities resolved = resolveWith(List.of(ML));

    assertThat(probe.asked()).hasSize(1);
    assertThat(probe.asked().get(0)).endsWith(RuntimeName.of("ml")).contains(RuntimeName.PYTHON);
    assertThat(names(resolved)).containsExactly("ml", "native", "python", "shell");
    assertThat(resolved.capabilities().versionsOf(RuntimeName.of("ml"))).containsExactly(Version.parse("1.4.2"));
  }

  @Test
  void auto_detection_does_not_advertise_a_defined_runtime_whose_interpreter_is_missing() {
    probe.warns("ml-python: not found on PATH");

    ResolvedCapabilities resolved = resolveWith(List.of(ML));

    assertThat(names(resolved)).containsExactly("native", "shell");
    assertThat(resolved.warnings()).containsExactly("ml-python: not found on PATH");
  }

  @Test
  void a_declared_tier_naming_a_defined_runtime_probes_its_interpreter_for_the_version() {
    env.put(Environment.WORKER_RUNTIMES, "shell,ml");
    probe.finds("ml", "ml-python", "1.4.2");

    ResolvedCapabilities resolved = resolveWith(List.of(ML));

    assertThat(probe.asked()).containsExactly(List.of(RuntimeName.of("ml")));
    assertThat(resolved.capabilities().versionsOf(RuntimeName.of("ml"))).containsExactly(Version.parse("1.4.2"));
  }

  @Test
  void a_declared_defined_runtime_not_found_is_advertised_without_version_and_with_a_warning() {
    configDeclares("shell", "ml");

    ResolvedCapabilities resolved = resolveWith(List.of(ML));

    assertThat(names(resolved)).containsExactly("ml", "shell");
    assertThat(resolved.warnings()).singleElement().asString()
        .contains("runtime ml is declared (config)").contains("[ml-python]");
  }

  @Test
  void a_declared_tier_not_naming_a_defined_runtime_does_not_probe_it() {
    env.put(Environment.WORKER_RUNTIMES, "shell");
    probe.finds("ml", "ml-python", "1.4.2");

    ResolvedCapabilities resolved = resolveWith(List.of(ML));

    // the probe still runs, for the GPUs, but with no runtime to look for
    assertThat(probe.asked()).allSatisfy(runtimes -> assertThat(runtimes).isEmpty());
    assertThat(names(resolved)).containsExactly("shell");
  }

  @Test
  void a_defined_runtime_may_not_be_a_built_in_one_nor_defined_twice() {
    KnownRuntime python = new KnownRuntime(RuntimeName.PYTHON, List.of("mypython"), List.of("--version"));

    assertThatThrownBy(() -> resolveWith(List.of(python))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("python");
    assertThatThrownBy(() -> resolveWith(List.of(ML, ML))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ml");
  }

  @Test
  void max_concurrent_executions_come_from_the_environment_before_the_config_file() {
    declare(new CapabilityDeclaration(FILE, Optional.of(List.of("shell")), Optional.of(4), Map.of(), List.of(),
        Map.of()));

    assertThat(resolve().capabilities().maxConcurrentExecutions()).isEqualTo(4);
    env.put(Environment.WORKER_MAX_CONCURRENT_EXECUTIONS, " 7 ");
    assertThat(resolve().capabilities().maxConcurrentExecutions()).isEqualTo(7);
  }

  @Test
  void max_concurrent_executions_default_to_ten() {
    assertThat(resolve().capabilities().maxConcurrentExecutions()).isEqualTo(10);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-3", "ten", "", "2.5"})
  void an_invalid_max_concurrent_executions_in_the_environment_is_a_configuration_error(String value) {
    env.put(Environment.WORKER_MAX_CONCURRENT_EXECUTIONS, value);

    assertThatThrownBy(this::resolve).isInstanceOfSatisfying(ConfigurationException.class, e -> {
      assertThat(e.entry()).isEqualTo(Environment.WORKER_MAX_CONCURRENT_EXECUTIONS + "='" + value + "'");
      assertThat(e.expected()).isEqualTo("expected a positive integer");
    });
  }

  @Test
  void a_max_concurrent_executions_below_one_in_the_config_file_is_a_configuration_error_naming_the_file() {
    declare(new CapabilityDeclaration(FILE, Optional.empty(), Optional.of(0), Map.of(), List.of(), Map.of()));

    assertThatThrownBy(this::resolve).isInstanceOfSatisfying(ConfigurationException.class, e -> {
      assertThat(e.source()).isEqualTo(FILE);
      assertThat(e.entry()).isEqualTo("worker.capabilities.max_concurrent_executions = 0");
    });
  }

  @Test
  void labels_from_the_environment_override_and_extend_those_of_the_config_file() {
    declare(new CapabilityDeclaration(FILE, Optional.empty(), Optional.empty(),
        Map.of("zone", "west", "tier", "gold"), List.of(), Map.of()));
    env.put(Environment.WORKER_LABELS, "zone=east, gpu = nvidia ,,");

    assertThat(resolve().capabilities().labels())
        .containsExactlyInAnyOrderEntriesOf(Map.of("zone", "east", "tier", "gold", "gpu", "nvidia"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"zone", "=east", " =x", "zone=east,gpu"})
  void a_malformed_label_in_the_environment_is_a_configuration_error(String value) {
    env.put(Environment.WORKER_LABELS, value);

    assertThatThrownBy(this::resolve).isInstanceOfSatisfying(ConfigurationException.class, e -> {
      assertThat(e.entry()).startsWith(Environment.WORKER_LABELS + " entry '");
      assertThat(e.expected()).contains("key=value");
    });
  }

  @Test
  void a_label_value_may_be_empty_or_contain_an_equals_sign() {
    assertThat(ResolveCapabilitiesService.parseLabels("a=,b=x=y")).containsExactly(Map.entry("a", ""), Map.entry("b",
        "x=y"));
  }

  @Test
  void taints_and_other_declared_keys_pass_through_from_the_config_file() {
    Taint gpu = new Taint("gpu", "true", TaintEffect.NO_SCHEDULE);
    declare(new CapabilityDeclaration(FILE, Optional.of(List.of("shell")), Optional.empty(), Map.of(),
        List.of(gpu), Map.of("gpu_model", "a100")));

    ResolvedCapabilities resolved = resolve();

    assertThat(resolved.capabilities().taints()).containsExactly(gpu);
    assertThat(resolved.capabilities().extras()).containsExactly(Map.entry("gpu_model", "a100"));
  }

  @Test
  void each_tier_has_its_wire_name_for_logs_and_json() {
    assertThat(CapabilitySource.ENVIRONMENT.wireName()).isEqualTo("environment");
    assertThat(CapabilitySource.CONFIG.wireName()).isEqualTo("config");
    assertThat(CapabilitySource.AUTO_DETECT.wireName()).isEqualTo("auto-detect");
  }

  @Test
  void gpus_the_probe_finds_are_advertised_whatever_tier_declares_the_runtimes() {
    env.put(Environment.WORKER_RUNTIMES, "shell,python");
    probe.findsGpu("NVIDIA A100-SXM4-80GB", 81920).findsGpu("NVIDIA A100-SXM4-80GB", 81920);

    ResolvedCapabilities resolved = resolve();

    assertThat(resolved.source()).isEqualTo(CapabilitySource.ENVIRONMENT);
    assertThat(resolved.capabilities().gpus()).containsExactly(new Gpu("NVIDIA A100-SXM4-80GB", 81920),
        new Gpu("NVIDIA A100-SXM4-80GB", 81920));
  }

  @Test
  void auto_detection_advertises_the_gpus_too() {
    probe.findsGpu("Tesla T4", 15360);

    assertThat(resolve().capabilities().gpus()).containsExactly(new Gpu("Tesla T4", 15360));
  }

  @Test
  void a_machine_without_gpus_advertises_none() {
    assertThat(resolve().capabilities().gpus()).isEmpty();
  }

  @Test
  void packs_come_from_the_environment_trimmed_before_the_config_file() {
    env.put(Environment.WORKER_PACKS, " ml , core,,");
    declare(CapabilityDeclaration.empty(FILE).withPacks(List.of("other")));

    assertThat(resolve().capabilities().packs()).containsExactly("core", "ml");
  }

  @Test
  void packs_come_from_the_config_file_when_the_environment_names_none() {
    declare(CapabilityDeclaration.empty(FILE).withPacks(List.of("core")));

    assertThat(resolve().capabilities().packs()).containsExactly("core");
  }

  @Test
  void a_blank_packs_variable_is_ignored_with_a_warning_and_every_pack_is_served() {
    env.put(Environment.WORKER_PACKS, " , ");

    ResolvedCapabilities resolved = resolve();

    assertThat(resolved.capabilities().packs()).isEmpty();
    assertThat(resolved.capabilities().servesPack("anything")).isTrue();
    assertThat(resolved.warnings()).anyMatch(w -> w.contains("ATTUNE_WORKER_PACKS=' , ' names no pack"));
  }

  @Test
  void a_pack_name_that_is_not_valid_is_a_configuration_error_naming_it() {
    env.put(Environment.WORKER_PACKS, "core,ml/x");

    assertThatThrownBy(this::resolve).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ATTUNE_WORKER_PACKS entry 'ml/x'")
        .hasMessageContaining("expected comma-separated pack names");
  }
}
