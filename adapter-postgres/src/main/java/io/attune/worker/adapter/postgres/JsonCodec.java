package io.attune.worker.adapter.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.Taint;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.placement.ActionRequirements;
import io.attune.worker.core.model.placement.Affinity;
import io.attune.worker.core.model.placement.AffinityTerm;
import io.attune.worker.core.model.placement.MatchExpression;
import io.attune.worker.core.model.placement.MatchOperator;
import io.attune.worker.core.model.placement.Toleration;
import io.attune.worker.core.model.placement.TolerationOperator;
import io.attune.worker.core.model.placement.WeightedTerm;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.runtime.VersionConstraint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.jooq.JSONB;

/**
 * Writes and reads the JSONB columns in the snake_case shapes of ARCHITECTURE.md: capabilities, placement
 * requirements, and the free-form trees of parameters and results.
 *
 * <p>Reading a column that does not have the expected shape is a bug or a hand-edited row: it fails with an
 * {@link IllegalStateException} naming the key, which the stores turn into an infrastructure error.
 */
final class JsonCodec {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> TREE = new TypeReference<>() {
  };

  private JsonCodec() {
  }

  // ---- capabilities ----

  static JSONB capabilities(Capabilities capabilities) {
    ObjectNode json = MAPPER.createObjectNode();
    ArrayNode runtimes = json.putArray("runtimes");
    capabilities.runtimes().forEach(r -> runtimes.add(r.value()));
    json.put("max_concurrent_executions", capabilities.maxConcurrentExecutions());
    json.put("worker_version", capabilities.workerVersion());
    ObjectNode versions = json.putObject("runtime_versions");
    capabilities.runtimeVersions().forEach((runtime, list) -> {
      ArrayNode array = versions.putArray(runtime.value());
      list.forEach(v -> array.add(v.toString()));
    });
    ObjectNode labels = json.putObject("labels");
    capabilities.labels().forEach(labels::put);
    ArrayNode taints = json.putArray("taints");
    for (Taint taint : capabilities.taints()) {
      taints.addObject().put("key", taint.key()).put("value", taint.value()).put("effect", taint.effect().wireName());
    }
    capabilities.extras().forEach((key, value) -> json.set(key, MAPPER.valueToTree(value)));
    return JSONB.valueOf(write(json));
  }

  static Capabilities capabilities(JSONB column) {
    JsonNode json = read(column, "capabilities");
    Capabilities.Builder builder = Capabilities.builder();
    List<RuntimeName> runtimes = new ArrayList<>();
    for (JsonNode runtime : array(json, "runtimes")) {
      runtimes.add(RuntimeName.of(runtime.asText()));
    }
    builder.runtimes(runtimes);
    JsonNode max = json.get("max_concurrent_executions");
    if (max != null && !max.isNull()) {
      if (!max.canConvertToInt()) {
        throw new IllegalStateException("capabilities.max_concurrent_executions: expected an integer, was " + max);
      }
      builder.maxConcurrentExecutions(max.intValue());
    }
    JsonNode version = json.get("worker_version");
    if (version != null && !version.isNull()) {
      builder.workerVersion(version.asText());
    }
    Map<RuntimeName, List<Version>> versions = new TreeMap<>();
    for (Map.Entry<String, JsonNode> entry : object(json, "runtime_versions").properties()) {
      List<Version> list = new ArrayList<>();
      entry.getValue().forEach(v -> list.add(Version.parse(v.asText())));
      versions.put(RuntimeName.of(entry.getKey()), list);
    }
    builder.runtimeVersions(versions);
    builder.labels(stringMap(object(json, "labels")));
    List<Taint> taints = new ArrayList<>();
    for (JsonNode taint : array(json, "taints")) {
      taints.add(new Taint(text(taint, "key"), text(taint, "value"),
          parse(text(taint, "effect"), TaintEffect::parse, "taint effect")));
    }
    builder.taints(taints);
    Map<String, Object> extras = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : json.properties()) {
      if (!Capabilities.KNOWN_KEYS.contains(entry.getKey())) {
        extras.put(entry.getKey(), MAPPER.convertValue(entry.getValue(), Object.class));
      }
    }
    return builder.extras(extras).build();
  }

  // ---- placement requirements ----

  /** The requirement as submitted; the action's reference lives in its own column. */
  static JSONB requirements(ActionRequirements action) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("runtime", action.runtime().value());
    json.put("runtime_version", action.runtimeVersion().toString());
    ObjectNode required = json.putObject("required_runtimes");
    action.requiredRuntimes().forEach((runtime, constraint) -> required.put(runtime.value(), constraint.toString()));
    ObjectNode selector = json.putObject("selector");
    action.selector().forEach(selector::put);
    ArrayNode tolerations = json.putArray("tolerations");
    for (Toleration toleration : action.tolerations()) {
      ObjectNode t = tolerations.addObject();
      t.put("key", toleration.key());
      t.put("operator", toleration.operator().wireName());
      t.put("value", toleration.value());
      toleration.effect().ifPresent(effect -> t.put("effect", effect.wireName()));
    }
    ObjectNode affinity = json.putObject("affinity");
    ArrayNode requiredTerms = affinity.putArray("required");
    action.affinity().required().forEach(term -> requiredTerms.add(term(term)));
    ArrayNode preferred = affinity.putArray("preferred");
    for (WeightedTerm weighted : action.affinity().preferred()) {
      preferred.addObject().put("weight", weighted.weight()).set("preference", term(weighted.preference()));
    }
    ArrayNode anti = affinity.putArray("anti_affinity");
    action.affinity().antiAffinity().forEach(term -> anti.add(term(term)));
    return JSONB.valueOf(write(json));
  }

  static ActionRequirements requirements(String actionRef, JSONB column) {
    JsonNode json = read(column, "requirements");
    RuntimeName runtime = RuntimeName.of(text(json, "runtime"));
    VersionConstraint version = VersionConstraint.parse(optionalText(json, "runtime_version"));
    Map<RuntimeName, VersionConstraint> required = new TreeMap<>();
    for (Map.Entry<String, JsonNode> entry : object(json, "required_runtimes").properties()) {
      required.put(RuntimeName.of(entry.getKey()), VersionConstraint.parse(entry.getValue().asText()));
    }
    Map<String, String> selector = stringMap(object(json, "selector"));
    List<Toleration> tolerations = new ArrayList<>();
    for (JsonNode t : array(json, "tolerations")) {
      String effect = optionalText(t, "effect");
      tolerations.add(new Toleration(optionalText(t, "key"),
          parse(text(t, "operator"), TolerationOperator::parse, "toleration operator"),
          optionalText(t, "value"),
          effect.isEmpty() ? Optional.empty() : Optional.of(parse(effect, TaintEffect::parse, "toleration effect"))));
    }
    JsonNode affinityJson = object(json, "affinity");
    List<AffinityTerm> requiredTerms = new ArrayList<>();
    array(affinityJson, "required").forEach(term -> requiredTerms.add(term(term)));
    List<WeightedTerm> preferred = new ArrayList<>();
    for (JsonNode weighted : array(affinityJson, "preferred")) {
      preferred.add(new WeightedTerm(weighted.path("weight").intValue(), term(weighted.path("preference"))));
    }
    List<AffinityTerm> anti = new ArrayList<>();
    array(affinityJson, "anti_affinity").forEach(term -> anti.add(term(term)));
    return new ActionRequirements(actionRef, runtime, version, required, selector, tolerations,
        new Affinity(requiredTerms, preferred, anti));
  }

  private static ObjectNode term(AffinityTerm term) {
    ObjectNode json = MAPPER.createObjectNode();
    ObjectNode labels = json.putObject("match_labels");
    term.matchLabels().forEach(labels::put);
    ArrayNode expressions = json.putArray("match_expressions");
    for (MatchExpression expression : term.matchExpressions()) {
      ObjectNode e = expressions.addObject();
      e.put("key", expression.key());
      e.put("operator", expression.operator().wireName());
      ArrayNode values = e.putArray("values");
      expression.values().forEach(values::add);
    }
    return json;
  }

  private static AffinityTerm term(JsonNode json) {
    List<MatchExpression> expressions = new ArrayList<>();
    for (JsonNode e : array(json, "match_expressions")) {
      List<String> values = new ArrayList<>();
      array(e, "values").forEach(v -> values.add(v.asText()));
      expressions.add(new MatchExpression(text(e, "key"),
          parse(text(e, "operator"), MatchOperator::parse, "match expression operator"), values));
    }
    return new AffinityTerm(stringMap(object(json, "match_labels")), expressions);
  }

  // ---- free-form trees ----

  /** Parameters and structured results: maps, lists, strings, numbers, booleans and nulls. */
  static JSONB tree(Map<String, Object> tree) {
    if (tree == null) {
      return null;
    }
    try {
      return JSONB.valueOf(MAPPER.writeValueAsString(tree));
    } catch (JsonProcessingException notJson) {
      throw new IllegalArgumentException("value is not a JSON tree: " + notJson.getOriginalMessage(), notJson);
    }
  }

  static Map<String, Object> tree(JSONB column, String what) {
    if (column == null) {
      return null;
    }
    try {
      return MAPPER.readValue(column.data(), TREE);
    } catch (JsonProcessingException notAnObject) {
      throw new IllegalStateException(what + ": expected a JSON object, was " + abbreviate(column.data()),
          notAnObject);
    }
  }

  // ---- helpers ----

  private static String write(JsonNode json) {
    try {
      return MAPPER.writeValueAsString(json);
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException("a JSON tree could not be written", impossible);
    }
  }

  private static JsonNode read(JSONB column, String what) {
    try {
      JsonNode json = MAPPER.readTree(column.data());
      if (!json.isObject()) {
        throw new IllegalStateException(what + ": expected a JSON object, was " + abbreviate(column.data()));
      }
      return json;
    } catch (JsonProcessingException broken) {
      throw new IllegalStateException(what + ": not JSON: " + abbreviate(column.data()), broken);
    }
  }

  private static JsonNode array(JsonNode json, String key) {
    JsonNode value = json.get(key);
    if (value == null || value.isNull()) {
      return MAPPER.createArrayNode();
    }
    if (!value.isArray()) {
      throw new IllegalStateException(key + ": expected an array, was " + value);
    }
    return value;
  }

  private static JsonNode object(JsonNode json, String key) {
    JsonNode value = json.get(key);
    if (value == null || value.isNull()) {
      return MAPPER.createObjectNode();
    }
    if (!value.isObject()) {
      throw new IllegalStateException(key + ": expected an object, was " + value);
    }
    return value;
  }

  private static String text(JsonNode json, String key) {
    JsonNode value = json.get(key);
    if (value == null || value.isNull()) {
      throw new IllegalStateException(key + ": missing in " + json);
    }
    return value.asText();
  }

  private static String optionalText(JsonNode json, String key) {
    JsonNode value = json.get(key);
    return value == null || value.isNull() ? "" : value.asText();
  }

  private static Map<String, String> stringMap(JsonNode json) {
    Map<String, String> map = new TreeMap<>();
    for (Map.Entry<String, JsonNode> entry : json.properties()) {
      map.put(entry.getKey(), entry.getValue().asText());
    }
    return map;
  }

  private static <T> T parse(String text, Function<String, Optional<T>> parser, String what) {
    return parser.apply(text).orElseThrow(() -> new IllegalStateException(what + " '" + text + "' is not known"));
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
