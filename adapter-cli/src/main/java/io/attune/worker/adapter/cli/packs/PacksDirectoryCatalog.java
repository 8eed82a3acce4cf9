package io.attune.worker.adapter.cli.packs;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ref.ActionRef;
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
 * The actions of the packs in a folder: every {@code <pack>/actions/<name>.yaml} (or {@code .yml}) is the action
 * {@code <pack>.<name>}. Loaded once; a bad file stops the load with an error naming the file, the key and what
 * was expected.
 */
public final class PacksDirectoryCatalog implements ActionCatalog {

  private static final Pattern PACK_NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern ACTION_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  private final Path packsDirectory;
  private final Map<ActionRef, ActionDefinition> byRef;

  private PacksDirectoryCatalog(Path packsDirectory, Map<ActionRef, ActionDefinition> byRef) {
    this.packsDirectory = packsDirectory;
    this.byRef = Collections.unmodifiableMap(new TreeMap<>(byRef));
  }

  /**
   * Reads every action file of every pack in the folder. Folders without an {@code actions} folder and hidden
   * entries are skipped.
   *
   * @throws ConfigurationException when the folder does not exist or an action file is wrong
   */
  public static PacksDirectoryCatalog load(Path packsDirectory) {
    Objects.requireNonNull(packsDirectory, "packsDirectory");
    if (!Files.isDirectory(packsDirectory)) {
      throw new ConfigurationException(packsDirectory.toString(), "packs directory",
          "expected an existing folder with a folder per pack (<pack>/actions/<name>.yaml); "
              + (Files.exists(packsDirectory) ? "it is not a folder" : "it does not exist"));
    }
    ActionFileReader reader = new ActionFileReader();
    Map<ActionRef, ActionDefinition> byRef = new TreeMap<>();
    Map<ActionRef, Path> files = new TreeMap<>();
    for (Path packDirectory : sorted(packsDirectory)) {
      String pack = packDirectory.getFileName().toString();
      Path actions = packDirectory.resolve("actions");
      if (pack.startsWith(".") || !Files.isDirectory(packDirectory) || !Files.isDirectory(actions)) {
        continue;
      }
      if (!PACK_NAME.matcher(pack).matches()) {
        throw new ConfigurationException(packDirectory.toString(), "pack folder name '" + pack + "'",
            "expected letters, digits, '_' or '-' only: the name is the first part of action references");
      }
      for (Path file : sorted(actions)) {
        String fileName = file.getFileName().toString();
        String name = actionName(fileName);
        if (name == null || fileName.startsWith(".") || !Files.isRegularFile(file)) {
          continue;
        }
        if (!ACTION_NAME.matcher(name).matches()) {
          throw new ConfigurationException(file.toString(), "action file name '" + fileName + "'",
              "expected letters, digits, '_', '-' or '.' before .yaml: the name is the second part of the reference");
        }
        ActionRef ref = new ActionRef(pack, name); // both parts were checked above
        Path earlier = files.put(ref, file);
        if (earlier != null) {
          throw new ConfigurationException(file.toString(), "action " + ref,
              "expected one file per action; " + earlier + " defines it too");
        }
        byRef.put(ref, reader.read(file, ref, packDirectory));
      }
    }
    return new PacksDirectoryCatalog(packsDirectory, byRef);
  }

  @Override
  public Optional<ActionDefinition> find(ActionRef ref) {
    return Optional.ofNullable(byRef.get(ref));
  }

  @Override
  public List<ActionDefinition> all() {
    return List.copyOf(byRef.values());
  }

  /** The folder the packs were read from. */
  public Path packsDirectory() {
    return packsDirectory;
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
