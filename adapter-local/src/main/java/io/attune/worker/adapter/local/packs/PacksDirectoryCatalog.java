package io.attune.worker.adapter.local.packs;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.port.out.ActionCatalog;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The packs in a folder: every {@code <pack>/actions/<name>.yaml} (or {@code .yml}) is the action
 * {@code <pack>.<name>}, and a {@code <pack>/pack.yaml} may define custom runtimes. Loaded once.
 *
 * <p>A file that is wrong does not stop the load: it becomes a {@link PackProblem} naming the file, the key with
 * its line and what was expected, and only what it defines is skipped (an action file its action; a
 * {@code pack.yaml} or a pack folder name its whole pack). The rest is served. This is the one routine that reads
 * packs, for the worker, {@code submit}, {@code explain} and {@code capabilities} alike.
 */
public final class PacksDirectoryCatalog implements ActionCatalog {

  /** The file of a pack that describes it and may define runtimes. */
  public static final String PACK_FILE = "pack.yaml";

  private static final Pattern PACK_NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern ACTION_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  private final Path packsDirectory;
  private final Map<ActionRef, ActionDefinition> byRef;
  private final List<PackRuntime> runtimes;
  private final List<PackProblem> problems;
  private final Map<ActionRef, PackProblem> skipped;

  private PacksDirectoryCatalog(Path packsDirectory, Map<ActionRef, ActionDefinition> byRef,
      List<PackRuntime> runtimes, List<PackProblem> problems, Map<ActionRef, PackProblem> skipped) {
    this.packsDirectory = packsDirectory;
    this.byRef = Collections.unmodifiableMap(new TreeMap<>(byRef));
    this.runtimes = List.copyOf(runtimes);
    this.problems = List.copyOf(problems);
    this.skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
  }

  /**
   * Reads every pack of the folder. Folders with neither an {@code actions} folder nor a {@code pack.yaml}, and
   * hidden entries, are not packs and are passed over.
   *
   * @throws ConfigurationException when the folder itself does not exist or cannot be read; a wrong file inside
   *     is a {@link #problems() problem}, not an exception
   */
  public static PacksDirectoryCatalog load(Path packsDirectory) {
    Objects.requireNonNull(packsDirectory, "packsDirectory");
    if (!Files.isDirectory(packsDirectory)) {
      throw new ConfigurationException(packsDirectory.toString(), "packs directory",
          "expected an existing folder with a folder per pack (<pack>/actions/<name>.yaml); "
              + (Files.exists(packsDirectory) ? "it is not a folder" : "it does not exist"));
    }
    Loading loading = new Loading();
    for (Path packDirectory : sorted(packsDirectory)) {
      loading.pack(packDirectory);
    }
    return new PacksDirectoryCatalog(packsDirectory, loading.byRef, new ArrayList<>(loading.runtimes.values()),
        loading.problems, loading.skipped);
  }

  @Override
  public Optional<ActionDefinition> find(ActionRef ref) {
    return Optional.ofNullable(byRef.get(ref));
  }

  @Override
  public List<ActionDefinition> all() {
    return List.copyOf(byRef.values());
  }

  @Override
  public Optional<String> problem(ActionRef ref) {
    return problemWith(ref).map(p -> p.error().getMessage());
  }

  /** Why the action was skipped, when a file it depends on is wrong. */
  public Optional<PackProblem> problemWith(ActionRef ref) {
    return Optional.ofNullable(skipped.get(ref));
  }

  /** Every file that was skipped, in the order met. */
  public List<PackProblem> problems() {
    return problems;
  }

  /** The custom runtimes the packs define, sorted by name; each name once. */
  public List<PackRuntime> runtimes() {
    return runtimes;
  }

  /** The folder the packs were read from. */
  public Path packsDirectory() {
    return packsDirectory;
  }

  /** What the load has gathered so far. */
  private static final class Loading {
    private final ActionFileReader actionReader = new ActionFileReader();
    private final PackFileReader packReader = new PackFileReader();
    private final Map<ActionRef, ActionDefinition> byRef = new TreeMap<>();
    private final Map<ActionRef, Path> files = new TreeMap<>();
    private final Map<RuntimeName, PackRuntime> runtimes = new TreeMap<>();
    private final List<PackProblem> problems = new ArrayList<>();
    private final Map<ActionRef, PackProblem> skipped = new TreeMap<>();

    void pack(Path packDirectory) {
      String pack = packDirectory.getFileName().toString();
      Path actions = packDirectory.resolve("actions");
      Path packFile = packDirectory.resolve(PACK_FILE);
      if (pack.startsWith(".") || !Files.isDirectory(packDirectory)
          || !Files.isDirectory(actions) && !Files.isRegularFile(packFile)) {
        return;
      }
      if (!PACK_NAME.matcher(pack).matches()) {
        problems.add(PackProblem.ofPack(packDirectory, pack, new ConfigurationException(packDirectory.toString(),
            "pack folder name '" + pack + "'",
            "expected letters, digits, '_' or '-' only: the name is the first part of action references")));
        return;
      }
      PackProblem broken = null;
      List<PackRuntime> defined = List.of();
      if (Files.isRegularFile(packFile)) {
        try {
          defined = packReader.read(packFile, pack);
          defined.forEach(runtime -> checkNoOtherPackDefinesItDifferently(runtime, packFile));
        } catch (ConfigurationException wrong) {
          broken = PackProblem.ofPack(packFile, pack, wrong);
          problems.add(broken);
        }
      }
      if (Files.isDirectory(actions)) {
        List<Path> actionFiles;
        try {
          actionFiles = sorted(actions);
        } catch (ConfigurationException unreadable) {
          problems.add(PackProblem.ofPack(actions, pack, unreadable));
          return;
        }
        for (Path file : actionFiles) {
          action(file, pack, packDirectory, broken);
        }
      }
      if (broken == null) {
        defined.forEach(runtime -> runtimes.putIfAbsent(runtime.name(), runtime));
      }
    }

    private void checkNoOtherPackDefinesItDifferently(PackRuntime runtime, Path packFile) {
      PackRuntime earlier = runtimes.get(runtime.name());
      if (earlier != null && !earlier.sameDefinitionAs(runtime)) {
        throw YamlFile.located(packFile, new ConfigurationException(packFile.toString(),
            "runtimes." + runtime.name(), "expected a runtime no other pack defines differently: " + earlier.file()
            + " defines " + runtime.name() + " as " + describe(earlier) + ", this file as " + describe(runtime)
            + "; a runtime is one per worker, so give one of them another name"));
      }
    }

    private static String describe(PackRuntime runtime) {
      return "command " + runtime.command() + ", args " + runtime.args() + ", version_args "
          + runtime.versionArgs();
    }

    private void action(Path file, String pack, Path packDirectory, PackProblem packBroken) {
      String fileName = file.getFileName().toString();
      String name = actionName(fileName);
      if (name == null || fileName.startsWith(".") || !Files.isRegularFile(file)) {
        return;
      }
      if (!ACTION_NAME.matcher(name).matches()) {
        problems.add(PackProblem.ofAction(file, pack, Optional.empty(), new ConfigurationException(file.toString(),
            "action file name '" + fileName + "'",
            "expected letters, digits, '_', '-' or '.' before .yaml: the name is the second part of the reference")));
        return;
      }
      ActionRef ref = new ActionRef(pack, name); // both parts were checked above
      Path earlier = files.put(ref, file);
      if (earlier != null) {
        PackProblem twice = PackProblem.ofAction(file, pack, Optional.of(ref), new ConfigurationException(
            file.toString(), "action " + ref, "expected one file per action; " + earlier + " defines it too"));
        problems.add(twice);
        byRef.remove(ref);
        skipped.put(ref, twice);
        return;
      }
      if (packBroken != null) {
        skipped.put(ref, packBroken);
        return;
      }
      try {
        byRef.put(ref, actionReader.read(file, ref, packDirectory));
      } catch (ConfigurationException wrong) {
        PackProblem problem = PackProblem.ofAction(file, pack, Optional.of(ref), wrong);
        problems.add(problem);
        skipped.put(ref, problem);
      }
    }
  }

  private static String actionName(String fileName) {
    for (String extension : List.of(".yaml", ".yml")) {
      if (fileName.endsWith(extension) && fileName.length() > extension.length()) {
        return fileName.substring(0, fileName.length() - extension.length());
      }
    }
    return null;
  }

  private static List<Path> sorted(Path directory) {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
      stream.forEach(entries::add);
    } catch (IOException unreadable) {
      throw new ConfigurationException(directory.toString(), "folder",
          "expected a readable folder: " + unreadable.getMessage());
    }
    entries.sort(null);
    return entries;
  }
}
