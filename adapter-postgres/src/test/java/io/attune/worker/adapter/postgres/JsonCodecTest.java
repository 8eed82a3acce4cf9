package io.attune.worker.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.Taint;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.placement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.testkit.ActionFixture;
import java.util.List;
import java.util.Map;
import org.jooq.JSONB;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

  @Test
  void capabilities_in_the_architecture_example_read_into_the_model() {
    JSONB json = JSONB.valueOf("""
        {"runtimes": ["native", "python", "shell"],
         "max_concurrent_executions": 10,
         "worker_version": "0.1.0",
         "runtime_versions": {"python": ["3.11.2"]},
         "labels": {"zone": "east"},
         "taints": [{"key": "gpu", "value": "true", "effect": "no_schedule"}],
         "gpu_model": "a100"}""");

    Capabilities capabilities = JsonCodec.capabilities(json);

    assertThat(capabilities).isEqualTo(Capabilities.builder()
        .runtime(RuntimeName.NATIVE).runtime(RuntimeName.PYTHON, Version.parse("3.11.2")).runtime(RuntimeName.SHELL)
        .maxConcurrentExecutions(10).workerVersion("0.1.0").label("zone", "east")
        .taint(new Taint("gpu", "true", TaintEffect.NO_SCHEDULE)).extras(Map.of("gpu_model", "a100")).build());
  }

  @Test
  void capabilities_survive_writing_and_reading() {
    Capabilities capabilities = Capabilities.builder()
        .runtime(RuntimeName.NODE, Version.parse("18.19.0"), Version.parse("20.11.1"))
        .runtime(RuntimeName.of("ml"))
        .maxConcurrentExecutions(3)
        .label("gpu", "nvidia")
        .taint(new Taint("spot", "", TaintEffect.PREFER_NO_SCHEDULE))
        .extras(Map.of("nested", Map.of("a", List.of(1, 2)), "flag", true))
        .build();

    assertThat(JsonCodec.capabilities(JsonCodec.capabilities(capabilities))).isEqualTo(capabilities);
  }

  @Test
  void requirements_survive_writing_and_reading() {
    ActionRequirements action = ActionFixture.anAction("pack.train").runtime("python").version("~3.11")
        .requires("node", ">=18").selector("gpu", "nvidia").tolerates("gpu", "true")
        .toleratesKey("spot", TaintEffect.PREFER_NO_SCHEDULE).requiresLabelIn("zone", "east", "west")
        .prefers(40, "tier", "gold").avoids("flaky", "true").build();

    assertThat(JsonCodec.requirements("pack.train", JsonCodec.requirements(action))).isEqualTo(action);
  }

  @Test
  void requirements_with_only_a_runtime_read_with_defaults() {
    ActionRequirements read = JsonCodec.requirements("pack.a", JSONB.valueOf("{\"runtime\": \"python3\"}"));

    assertThat(read).isEqualTo(ActionRequirements.of("pack.a", RuntimeName.PYTHON));
  }

  @Test
  void a_column_of_the_wrong_shape_is_reported_with_its_key() {
    assertThatThrownBy(() -> JsonCodec.capabilities(JSONB.valueOf("{\"runtimes\": \"python\"}")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("runtimes: expected an array");
  }
}
