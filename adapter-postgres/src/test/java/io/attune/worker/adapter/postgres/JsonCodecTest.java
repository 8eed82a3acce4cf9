package io.attune.worker.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.Taint;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.testkit.ActionFixture;
import java.util.List;
import java.util.Map;
import org.jooq.JSONB;
import org.junit.jupiter.api.Test;

/**
 * The columns as rows hold them today (texts written by the codec before the core's trees were its only codec)
 * still read, and what is written now is the same JSON.
 */
class JsonCodecTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A capabilities column as stored by the previous hand-written codec. */
  private static final String STORED_CAPABILITIES = "{\"runtimes\":[\"native\",\"python\",\"shell\"],"
      + "\"max_concurrent_executions\":10,\"worker_version\":\"0.1.0\",\"runtime_versions\":{\"python\":[\"3.11.2\"]},"
      + "\"labels\":{\"zone\":\"east\"},\"taints\":[{\"key\":\"gpu\",\"value\":\"true\",\"effect\":\"no_schedule\"}],"
      + "\"gpu_model\":\"a100\"}";

  /** A requirements column as stored by the previous hand-written codec: no "ref", no "effect" when there is none. */
  private static final String STORED_REQUIREMENTS = "{\"runtime\":\"python\",\"runtime_version\":\"~3.11\","
      + "\"required_runtimes\":{\"node\":\">=18\"},\"selector\":{\"gpu\":\"nvidia\"},\"tolerations\":["
      + "{\"key\":\"gpu\",\"operator\":\"equal\",\"value\":\"true\"},"
      + "{\"key\":\"spot\",\"operator\":\"exists\",\"value\":\"\",\"effect\":\"prefer_no_schedule\"}],"
      + "\"affinity\":{\"required\":[{\"match_labels\":{},\"match_expressions\":[{\"key\":\"zone\",\"operator\":\"in\","
      + "\"values\":[\"east\",\"west\"]}]}],\"preferred\":[{\"weight\":40,\"preference\":{\"match_labels\":"
      + "{\"tier\":\"gold\"},\"match_expressions\":[]}}],\"anti_affinity\":[{\"match_labels\":{\"flaky\":\"true\"},"
      + "\"match_expressions\":[]}]}}";

  private static final Capabilities CAPABILITIES = Capabilities.builder()
      .runtime(RuntimeName.NATIVE).runtime(RuntimeName.PYTHON, Version.parse("3.11.2")).runtime(RuntimeName.SHELL)
      .maxConcurrentExecutions(10).workerVersion("0.1.0").label("zone", "east")
      .taint(new Taint("gpu", "true", TaintEffect.NO_SCHEDULE)).extras(Map.of("gpu_model", "a100")).build();

  private static final ActionRequirements REQUIREMENTS = ActionFixture.anAction("pack.train").runtime("python")
      .version("~3.11").requires("node", ">=18").selector("gpu", "nvidia").tolerates("gpu", "true")
      .toleratesKey("spot", TaintEffect.PREFER_NO_SCHEDULE).requiresLabelIn("zone", "east", "west")
      .prefers(40, "tier", "gold").avoids("flaky", "true").build();

  @Test
  void a_stored_capabilities_column_reads_into_the_model() {
    assertThat(JsonCodec.capabilities(JSONB.valueOf(STORED_CAPABILITIES))).isEqualTo(CAPABILITIES);
  }

  @Test
  void capabilities_are_written_as_they_were_stored_before() throws Exception {
    assertThat(json(JsonCodec.capabilities(CAPABILITIES))).isEqualTo(MAPPER.readTree(STORED_CAPABILITIES));
  }

  @Test
  void versions_stored_under_an_alias_are_merged_as_every_other_reader_merges_them() {
    Capabilities read = JsonCodec.capabilities(JSONB.valueOf("{\"runtimes\": [\"python\"], \"runtime_versions\": "
        + "{\"python\": [\"3.11.2\"], \"python3\": [\"3.12.1\"]}}"));

    assertThat(read.versionsOf(RuntimeName.PYTHON)).containsExactly(Version.parse("3.11.2"), Version.parse("3.12.1"));
  }

  @Test
  void a_stored_requirements_column_reads_with_the_reference_of_its_own_column() {
    assertThat(JsonCodec.requirements(ActionRef.parse("pack.train"), JSONB.valueOf(STORED_REQUIREMENTS)))
        .isEqualTo(REQUIREMENTS);
  }

  @Test
  void requirements_are_written_as_they_were_stored_before_without_the_reference() throws Exception {
    assertThat(json(JsonCodec.requirements(REQUIREMENTS))).isEqualTo(MAPPER.readTree(STORED_REQUIREMENTS));
  }

  @Test
  void requirements_with_only_a_runtime_read_with_defaults() {
    ActionRequirements read = JsonCodec.requirements(ActionRef.parse("pack.a"),
        JSONB.valueOf("{\"runtime\": \"python3\"}"));

    assertThat(read).isEqualTo(ActionRequirements.of("pack.a", RuntimeName.PYTHON));
  }

  @Test
  void a_column_of_the_wrong_shape_is_reported_with_the_column_and_its_key() {
    assertThatThrownBy(() -> JsonCodec.capabilities(JSONB.valueOf("{\"runtimes\": \"python\"}")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("capabilities.runtimes = 'python': expected a list");
    assertThatThrownBy(() -> JsonCodec.requirements(ActionRef.parse("pack.a"),
        JSONB.valueOf("{\"runtime\": \"python\", \"tolerations\": [{\"key\": \"k\", \"operator\": \"near\"}]}")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("requirements.tolerations[0].operator = 'near': expected equal or exists");
  }

  @Test
  void a_column_that_is_not_an_object_is_reported_with_the_column() {
    assertThatThrownBy(() -> JsonCodec.capabilities(JSONB.valueOf("[1, 2]")))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("capabilities: expected a JSON object");
  }

  @Test
  void free_form_trees_survive_writing_and_reading() {
    Map<String, Object> tree = Map.of("name", "Ada", "tags", List.of("a", "b"), "nested", Map.of("n", 3));

    assertThat(JsonCodec.tree(JsonCodec.tree(tree), "parameters")).isEqualTo(tree);
  }

  private static Object json(JSONB column) throws Exception {
    return MAPPER.readTree(column.data());
  }
}
