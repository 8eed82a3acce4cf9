package io.attune.worker.adapter.local.packs;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.tree.TreeReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads a pack's {@code pack.yaml}: its descriptive keys and the runtimes it defines. */
final class PackFileReader {

  static final Set<String> PACK_KEYS = Set.of("ref", "label", "description", "version", "author", "runtimes");
  static final Set<String> RUNTIME_KEYS = Set.of("command", "args", "version_args", "description");
  static final String RUNTIME_SHAPE = "{command: BINARY or /absolute/path, args: [...], version_args: [...]}";

  /**
   * The runtimes the pack defines; none for an empty file.
   *
   * @throws ConfigurationException naming the file, the key with its line, and what was expected
   */
  List<PackRuntime> read(Path file, String pack) {
    try {
      return readTree(file, pack);
    } catch (ConfigurationException wrong) {
      throw YamlFile.located(file, wrong);
    }
  }

  private static List<PackRuntime> readTree(Path file, String pack) {
    Object document = YamlFile.read(file);
    if (document == null) {
      return List.of();
    }
    TreeReader root = TreeReader.of(document, file.toString(), "").onlyKeys(PACK_KEYS);
    root.string("ref").ifPresent(ref -> {
      if (!ref.equals(pack)) {
        throw root.wrong("ref", "expected the name of the pack's folder, '" + pack + "', or no ref: the folder "
            + "name is the first part of the pack's action references");
      }
    });
    if (!root.has("runtimes")) {
      return List.of();
    }
    if (!(root.raw("runtimes") instanceof Map<?, ?>)) {
      throw root.wrong("runtimes", "expected a mapping of runtime name to " + RUNTIME_SHAPE);
    }
    TreeReader runtimes = root.object("runtimes").orElseThrow();
    Map<RuntimeName, PackRuntime> defined = new TreeMap<>();
    for (String key : runtimes.keys()) {
      PackRuntime runtime = runtime(runtimes, key, pack, file);
      if (defined.put(runtime.name(), runtime) != null) {
        throw runtimes.error(runtimes.pathOf(key), "expected each runtime once: '" + key + "' is " + runtime.name()
            + ", defined above already");
      }
    }
    return new ArrayList<>(defined.values());
  }

  private static PackRuntime runtime(TreeReader runtimes, String key, String pack, Path file) {
    RuntimeName name = RuntimeName.parse(key).orElseThrow(() -> runtimes.error(runtimes.pathOf(key),
        "expected " + RuntimeName.expectedForm()));
    if (name.isBuiltIn()) {
      throw runtimes.error(runtimes.pathOf(key), "expected a custom runtime name: '" + key + "' is the built-in "
          + "runtime " + name + " (built in: " + String.join(", ", RuntimeName.builtInNames()) + "), which a pack "
          + "cannot redefine; give the runtime a name of its own (e.g. " + name + "-" + pack.toLowerCase(Locale.ROOT)
          + "), or set a built-in runtime's interpreter in the worker's worker.interpreters");
    }
    if (!(runtimes.raw(key) instanceof Map<?, ?>)) {
      throw runtimes.wrong(key, "expected " + RUNTIME_SHAPE);
    }
    TreeReader definition = runtimes.object(key).orElseThrow().onlyKeys(RUNTIME_KEYS);
    String command = definition.requiredString("command").strip();
    if (command.contains("/") && !Path.of(command).isAbsolute() || command.chars().anyMatch(Character::isWhitespace)) {
      throw definition.wrong("command", "expected a binary name looked up on the worker's PATH (e.g. python3) or "
          + "an absolute path (e.g. /opt/ml/bin/python), without arguments: put those in args");
    }
    List<String> args = definition.strings("args").orElse(List.of());
    List<String> versionArgs = definition.strings("version_args").orElse(PackRuntime.DEFAULT_VERSION_ARGS);
    return new PackRuntime(name, pack, file, command, args, versionArgs);
  }
}
