package io.attune.worker.adapter.cli.packs;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ParameterSpec;
import io.attune.worker.core.model.action.ParameterType;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.VersionConstraint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads one {@code <pack>/actions/<name>.yaml} into an action definition, or says precisely what is wrong. */
final class ActionFileReader {

  private static final List<String> ACTION_KEYS = List.of("runtime", "entry_point", "runtime_version",
      "timeout_seconds", "parameters", "placement", "description");
  private static final List<String> PARAMETER_KEYS = List.of("type", "required", "default", "description");
  private static final String TYPES = Arrays.stream(ParameterType.values()).map(ParameterType::wireName)
      .collect(Collectors.joining(", "));

  private final ObjectMapper yaml = YAMLMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  ActionDefinition read(Path file, String ref, Path packDirectory) {
    String source = file.toString();
    TreeReader tree = new TreeReader(source);
    Map<String, Object> root = tree.mapping("", parse(file, source));
    if (root.isEmpty()) {
      throw new ConfigurationException(source, "(whole file)",
          "expected a mapping with at least runtime and entry_point; the file is empty");
    }
    tree.onlyKeys("", root, ACTION_KEYS);

    PlacementParser placementParser = new PlacementParser(source);
    RuntimeName runtime = placementParser.runtime("runtime", root.get("runtime"));
    String entryPoint = tree.requiredText("entry_point", root.get("entry_point"),
        "expected the path of the script to run, relative to the actions folder");
    checkEntryPoint(tree, file.getParent(), packDirectory, entryPoint);
    VersionConstraint runtimeVersion = placementParser.versionConstraint("runtime_version",
        root.get("runtime_version"));
    Duration timeout = timeout(tree, root.get("timeout_seconds"));
    Map<String, ParameterSpec> parameters = parameters(tree, root.get("parameters"));
    PlacementParser.Placement placement = placementParser.parse("placement", root.get("placement"));
    try {
      return new ActionDefinition(ref, runtime, entryPoint, runtimeVersion, timeout, parameters,
          placement.requiredRuntimes(), placement.selector(), placement.tolerations(), placement.affinity());
    } catch (IllegalArgumentException invalid) {
      throw new ConfigurationException(source, "action " + ref, "expected a valid action: " + invalid.getMessage());
    }
  }

  private Object parse(Path file, String source) {
    try {
      if (Files.size(file) == 0) {
        return null;
      }
      return yaml.readValue(file.toFile(), Object.class);
    } catch (JsonProcessingException syntax) {
      JsonLocation at = syntax.getLocation();
      String where = at == null || at.getLineNr() < 1 ? "(syntax)"
          : "line " + at.getLineNr() + (at.getColumnNr() > 0 ? ", column " + at.getColumnNr() : "");
      throw new ConfigurationException(source, where, "expected valid YAML: " + summary(syntax.getOriginalMessage()));
    } catch (IOException unreadable) {
      throw new ConfigurationException(source, "(file)", "expected a readable file: " + unreadable.getMessage());
    }
  }

  /** The parser's message on one line, without the snippet of the file that YAML messages carry. */
  private static String summary(String message) {
    if (message == null) {
      return "unreadable";
    }
    String firstPart = message.lines()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("in 'reader'") && !line.startsWith("^"))
        .collect(Collectors.joining("; "));
    return firstPart.length() <= 200 ? firstPart : firstPart.substring(0, 200) + "...";
  }

  private static void checkEntryPoint(TreeReader tree, Path actionsDirectory, Path packDirectory, String entryPoint) {
    Path target;
    try {
      target = actionsDirectory.resolve(entryPoint).normalize();
    } catch (InvalidPathException unusable) {
      throw tree.wrong("entry_point", entryPoint, "expected a usable file path: " + unusable.getReason());
    }
    if (!target.startsWith(packDirectory.normalize())) {
      throw tree.wrong("entry_point", entryPoint, "expected a file inside the pack folder " + packDirectory);
    }
    if (!Files.isRegularFile(target)) {
      throw tree.wrong("entry_point", entryPoint, "expected an existing file; " + target + " does not exist");
    }
  }

  private static Duration timeout(TreeReader tree, Object node) {
    if (node == null) {
      return ActionDefinition.DEFAULT_TIMEOUT;
    }
    return TreeReader.wholeNumber(node)
        .filter(seconds -> seconds >= 1 && seconds <= Integer.MAX_VALUE)
        .map(Duration::ofSeconds)
        .orElseThrow(() -> tree.wrong("timeout_seconds", node, "expected a whole number of seconds, at least 1"));
  }

  private static Map<String, ParameterSpec> parameters(TreeReader tree, Object node) {
    Map<String, ParameterSpec> specs = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : tree.mapping("parameters", node).entrySet()) {
      String name = entry.getKey();
      String path = TreeReader.key("parameters", name);
      if (name.isBlank()) {
        throw tree.wrong(path, entry.getValue(), "expected a non-blank parameter name");
      }
      if (entry.getValue() == null) {
        throw tree.wrong(path, null, "expected {type, required, default}");
      }
      Map<String, Object> declared = tree.mapping(path, entry.getValue());
      tree.onlyKeys(path, declared, PARAMETER_KEYS);
      Object typeNode = declared.get("type");
      String typePath = TreeReader.key(path, "type");
      if (typeNode == null) {
        throw tree.missing(typePath, "expected one of " + TYPES);
      }
      ParameterType type = (typeNode instanceof String text ? ParameterType.parse(text)
          : java.util.Optional.<ParameterType>empty())
          .orElseThrow(() -> tree.wrong(typePath, typeNode, "expected one of " + TYPES));
      Object requiredNode = declared.get("required");
      if (requiredNode != null && !(requiredNode instanceof Boolean)) {
        throw tree.wrong(TreeReader.key(path, "required"), requiredNode, "expected true or false");
      }
      Object defaultValue = declared.get("default");
      if (defaultValue != null && !type.accepts(defaultValue)) {
        String article = type == ParameterType.INTEGER || type == ParameterType.OBJECT ? "an " : "a ";
        throw tree.wrong(TreeReader.key(path, "default"), defaultValue, "expected " + article + type.wireName());
      }
      specs.put(name, new ParameterSpec(name, type, Boolean.TRUE.equals(requiredNode), defaultValue));
    }
    return specs;
  }
}
