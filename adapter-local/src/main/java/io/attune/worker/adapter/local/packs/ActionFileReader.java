package io.attune.worker.adapter.local.packs;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.NulCharacters;
import io.attune.worker.core.model.action.ParameterSpec;
import io.attune.worker.core.model.action.ParameterType;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.RequirementsTree;
import io.attune.worker.core.model.tree.TreeReader;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads one {@code <pack>/actions/<name>.yaml} into an action definition, or says precisely what is wrong. */
final class ActionFileReader {

  private static final Set<String> ACTION_KEYS = Set.of("runtime", "entry_point", "runtime_version",
      "timeout_seconds", "parameters", "placement", "description");
  private static final Set<String> PARAMETER_KEYS = Set.of("type", "required", "default", "description");
  private static final String TYPES = Arrays.stream(ParameterType.values()).map(ParameterType::wireName)
      .collect(Collectors.joining(", "));

  /**
   * The action, or an error naming the file, the key with its line, and what was expected.
   *
   * @throws ConfigurationException when the file is not a valid action
   */
  ActionDefinition read(Path file, ActionRef ref, Path packDirectory) {
    try {
      return readTree(file, ref, packDirectory);
    } catch (ConfigurationException wrong) {
      throw YamlFile.located(file, wrong);
    }
  }

  private ActionDefinition readTree(Path file, ActionRef ref, Path packDirectory) {
    String source = file.toString();
    Object document = YamlFile.read(file);
    if (document == null || document instanceof Map<?, ?> empty && empty.isEmpty()) {
      throw new ConfigurationException(source, "(whole file)",
          "expected a mapping with at least runtime and entry_point; the file is empty");
    }
    TreeReader root = TreeReader.of(document, source, "").onlyKeys(ACTION_KEYS);

    // the runtime first: a file that names none is reported for that before anything else
    TreeReader placement = root.object("placement")
        .orElseGet(() -> TreeReader.of(Map.of(), source, "placement"))
        .onlyKeys(RequirementsTree.PLACEMENT_KEYS);
    ActionRequirements requirements = RequirementsTree.fromParts(ref, root, placement);
    String entryPoint = root.requiredString("entry_point");
    checkEntryPoint(root, file.getParent(), packDirectory, entryPoint);
    Duration timeout = root.integer("timeout_seconds", 1, Integer.MAX_VALUE).map(Duration::ofSeconds)
        .orElse(ActionDefinition.DEFAULT_TIMEOUT);
    Map<String, ParameterSpec> parameters = parameters(root);
    try {
      return new ActionDefinition(requirements, entryPoint, timeout, parameters);
    } catch (IllegalArgumentException invalid) {
      throw new ConfigurationException(source, "action " + ref, "expected a valid action: " + invalid.getMessage());
    }
  }

  private static void checkEntryPoint(TreeReader root, Path actionsDirectory, Path packDirectory,
      String entryPoint) {
    EntryPointCheck check = EntryPointCheck.of(actionsDirectory, packDirectory, entryPoint);
    Path target = check.path();
    String wrong = switch (check.verdict()) {
      case UNUSABLE_PATH -> "expected a usable file path: " + ((InvalidPathException) check.cause()).getReason();
      case ESCAPES_THE_PACK -> "expected a file inside the pack folder " + packDirectory;
      case NOT_A_FILE -> "expected an existing file; " + target + " does not exist";
      case UNRESOLVABLE -> "expected a readable file: " + check.cause().getMessage();
      case LINKS_OUT_OF_THE_PACK -> "expected a file inside the pack folder " + packDirectory + "; " + target
          + " leads through a symbolic link to " + check.real() + ", outside the pack"
          + (check.realPack().equals(packDirectory.toAbsolutePath().normalize()) ? ""
          : " (whose real folder is " + check.realPack() + ")");
      case INSIDE -> null;
    };
    if (wrong != null) {
      throw root.wrong("entry_point", wrong);
    }
  }

  private static Map<String, ParameterSpec> parameters(TreeReader root) {
    Map<String, ParameterSpec> specs = new LinkedHashMap<>();
    Optional<TreeReader> declared = root.object("parameters");
    if (declared.isEmpty()) {
      return specs;
    }
    TreeReader all = declared.get();
    for (String name : all.keys()) {
      if (name.isBlank()) {
        throw all.wrong(name, "expected a non-blank parameter name");
      }
      if (NulCharacters.in(name)) {
        throw all.error(all.pathOf(NulCharacters.printable(name)),
            "expected a parameter name without a NUL character (U+0000): no request could give it");
      }
      TreeReader parameter = all.object(name)
          .orElseThrow(() -> all.wrong(name, "expected {type, required, default}"))
          .onlyKeys(PARAMETER_KEYS);
      if (!parameter.has("type")) {
        throw parameter.error(parameter.pathOf("type"), "is required: expected one of " + TYPES);
      }
      ParameterType type = ParameterType.parse(parameter.string("type").orElseThrow())
          .orElseThrow(() -> parameter.wrong("type", "expected one of " + TYPES));
      boolean required = parameter.bool("required").orElse(false);
      Object defaultValue = parameter.raw("default");
      if (defaultValue != null && !type.accepts(defaultValue)) {
        throw parameter.wrong("default", "expected " + type.withArticle());
      }
      List<String> nul = NulCharacters.pathsIn(parameter.pathOf("default"), defaultValue);
      if (!nul.isEmpty()) {
        throw parameter.error(nul.get(0), "expected a default without a NUL character (U+0000): an execution's "
            + "parameters cannot hold one");
      }
      specs.put(name, new ParameterSpec(name, type, required, defaultValue));
    }
    return specs;
  }
}
