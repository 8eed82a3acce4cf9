package io.attune.worker.adapter.local.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Finds a binary the way a shell would for a child: a name with a {@code /} in it is taken as a path, a bare name is
 * looked up in the folders of a search path (a child's {@code PATH}, never the JVM's own), first match wins. A match
 * is a regular, executable file that the child's user can run; the answer is its absolute, normalized path.
 */
public final class BinaryLocator {

  private final Optional<String> searchPath;
  private final Predicate<Path> usable;
  private final String usableBy;

  /** A locator for a child of the worker's own user, who can run whatever the worker can. */
  public BinaryLocator(Optional<String> searchPath) {
    this(searchPath, path -> true, "");
  }

  /**
   * @param searchPath the folders to look in, separated as {@code PATH} separates them
   * @param usable which executable files the child's user can run: a file it cannot is passed over, and the search
   *     goes on (a shim in the worker's own home folder, say)
   * @param usableBy who {@code usable} speaks for, for messages
   */
  public BinaryLocator(Optional<String> searchPath, Predicate<Path> usable, String usableBy) {
    this.searchPath = Objects.requireNonNull(searchPath, "searchPath");
    this.usable = Objects.requireNonNull(usable, "usable");
    this.usableBy = Objects.requireNonNull(usableBy, "usableBy");
  }

  /**
   * Where a binary is, or why it is not usable; {@code absent} when there is no such file at all (rather than one
   * that cannot be run), which a probe for optional hardware takes silently.
   *
   * @param path the binary's absolute, normalized path; null when it was not found usable
   * @param problem why it was not, for messages; null when it was found
   */
  public record Located(Path path, String problem, boolean absent) {
    static Located at(Path path) {
      return new Located(path, null, false);
    }

    static Located unusable(String problem) {
      return new Located(null, problem, false);
    }

    static Located missing(String problem) {
      return new Located(null, problem, true);
    }

    /** The binary's path, when it was found usable. */
    public Optional<Path> found() {
      return Optional.ofNullable(path);
    }
  }

  /** Where the binary is on the search path, or why it is not usable. */
  public Located locate(String binary) {
    if (binary.contains("/")) {
      Path direct = Path.of(binary).toAbsolutePath().normalize();
      if (!Files.isRegularFile(direct) || !Files.isExecutable(direct)) {
        return Located.unusable("not an executable file");
      }
      return usable.test(direct) ? Located.at(direct)
          : Located.unusable("found at " + direct + " but " + usableBy + " cannot run it");
    }
    if (searchPath.isEmpty() || searchPath.get().isBlank()) {
      return Located.missing("not found on PATH (PATH is not set)");
    }
    Path notExecutable = null;
    Path notUsable = null;
    for (String directory : searchPath.get().split(File.pathSeparator)) {
      if (directory.isBlank()) {
        continue;
      }
      Path file;
      try {
        file = Path.of(directory).resolve(binary).toAbsolutePath().normalize();
      } catch (InvalidPathException unusable) {
        continue;
      }
      if (Files.isRegularFile(file)) {
        if (Files.isExecutable(file) && usable.test(file)) {
          return Located.at(file);
        }
        if (Files.isExecutable(file)) {
          notUsable = notUsable == null ? file : notUsable;
        } else {
          notExecutable = notExecutable == null ? file : notExecutable;
        }
      }
    }
    if (notUsable != null) {
      return Located.unusable("found at " + notUsable + " but " + usableBy + " cannot run it");
    }
    return notExecutable != null
        ? Located.unusable("found at " + notExecutable + " but it is not executable")
        : Located.missing("not found on PATH");
  }
}
