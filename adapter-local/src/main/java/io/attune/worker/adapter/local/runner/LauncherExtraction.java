package io.attune.worker.adapter.local.runner;

import io.attune.worker.adapter.local.runner.ActionLauncher.Lookup;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts the action launcher that this jar carries on disk, once per JVM, where only the worker's user can reach it,
 * and clears away what killed JVMs of the same user left behind.
 */
final class LauncherExtraction {

  private static final String RESOURCE = "linux-" + System.getProperty("os.arch") + "/attune-launch";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
  /** The extracted launcher's folder: {@code attune-launch-<pid of the JVM>-<random>}. */
  private static final String FOLDER_PREFIX = "attune-launch-";
  private static final Pattern FOLDER = Pattern.compile(Pattern.quote(FOLDER_PREFIX) + "(\\d+)-\\d+");

  private LauncherExtraction() {
  }

  /**
   * Writes the launcher in the jar into a new folder under {@code java.io.tmpdir} that only this user can enter, and
   * checks what was written: the folder and file are private, the content is the jar's, and it answers its version.
   */
  static Lookup extract() {
    String system = System.getProperty("os.name", "?");
    if (!system.equals("Linux")) {
      return Lookup.none("no action launcher on " + system + ": it is built for Linux only");
    }
    byte[] content;
    try (InputStream resource = LauncherExtraction.class.getResourceAsStream(RESOURCE)) {
      if (resource == null) {
        return Lookup.none("this build of the worker carries no action launcher for " + RESOURCE.replace(
            "/attune-launch", "") + " (it is compiled from adapter-local/src/main/c when the build machine has gcc)");
      }
      content = resource.readAllBytes();
    } catch (IOException unreadable) {
      return Lookup.none("the action launcher in the jar cannot be read: " + unreadable.getMessage());
    }
    Path directory = null;
    try {
      Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
      long self = ProcessHandle.current().pid();
      removeLeftOvers(temporary, self);
      directory = Files.createTempDirectory(temporary, FOLDER_PREFIX + self + "-",
          PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      directory.toFile().deleteOnExit();
      Path binary = Files.createFile(directory.resolve("attune-launch"),
          PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      binary.toFile().deleteOnExit();
      Files.write(binary, content);
      Files.setPosixFilePermissions(binary, OWNER_ONLY);
      Optional<String> problem = unchanged(directory, binary, content).or(() -> ActionLauncher.answersItsVersion(binary));
      return problem.isEmpty() ? Lookup.of(ActionLauncher.at(binary))
          : Lookup.none("the action launcher extracted to " + binary + " is not usable: " + problem.get());
    } catch (IOException | UnsupportedOperationException cannotWrite) {
      return Lookup.none("the action launcher cannot be extracted into " + (directory == null
          ? System.getProperty("java.io.tmpdir") : directory) + ": " + cannotWrite);
    }
  }

  /**
   * Removes the folders of launchers that JVMs of this user extracted and did not remove, because they were killed
   * (SIGKILL, out of memory): a worker that is killed and restarted again and again must not fill the temporary
   * folder. A folder whose JVM still runs stays; one named after this JVM's own PID is a former process's (in a
   * container, a restarted worker often gets the PID its predecessor had). Only this user's folders are touched,
   * and in them only the launcher; anything unexpected stays.
   */
  static void removeLeftOvers(Path temporary, long self) {
    UserPrincipal user;
    List<Path> candidates = new ArrayList<>();
    try {
      user = currentUser(temporary);
      try (DirectoryStream<Path> folders = Files.newDirectoryStream(temporary, FOLDER_PREFIX + "*")) {
        folders.forEach(candidates::add);
      }
    } catch (IOException | RuntimeException notNow) {
      return; // the next start tries again
    }
    for (Path folder : candidates) {
      Matcher named = FOLDER.matcher(folder.getFileName().toString());
      try {
        if (!named.matches() || !abandoned(Long.parseLong(named.group(1)), self)) {
          continue;
        }
        PosixFileAttributes attributes = Files.readAttributes(folder, PosixFileAttributes.class,
            LinkOption.NOFOLLOW_LINKS);
        if (attributes.isDirectory() && attributes.owner().equals(user)) {
          Files.deleteIfExists(folder.resolve("attune-launch"));
          Files.delete(folder);
        }
      } catch (IOException | RuntimeException notOurs) {
        // in use, holding something else, or not a folder: it stays
      }
    }
  }

  private static boolean abandoned(long pid, long self) {
    return pid == self || ProcessHandle.of(pid).isEmpty();
  }

  /** This process's user as the file system names owners: the owner of a file it has just created. */
  private static UserPrincipal currentUser(Path temporary) throws IOException {
    Path probe = Files.createTempFile(temporary, FOLDER_PREFIX + "owner-", "");
    try {
      return Files.getOwner(probe);
    } finally {
      Files.delete(probe);
    }
  }

  /** Checked after writing: what runs as the worker's user must be what the jar holds, and only that user's. */
  private static Optional<String> unchanged(Path directory, Path binary, byte[] content) throws IOException {
    PosixFileAttributes folder = Files.readAttributes(directory, PosixFileAttributes.class,
        LinkOption.NOFOLLOW_LINKS);
    PosixFileAttributes file = Files.readAttributes(binary, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!folder.isDirectory() || !folder.permissions().equals(OWNER_ONLY)) {
      return Optional.of("its folder is not private (" + PosixFilePermissions.toString(folder.permissions()) + ")");
    }
    if (!file.isRegularFile() || !file.permissions().equals(OWNER_ONLY) || !file.owner().equals(folder.owner())) {
      return Optional.of("it is not a private regular file");
    }
    if (!Arrays.equals(Files.readAllBytes(binary), content)) {
      return Optional.of("its content differs from the jar's");
    }
    return Optional.empty();
  }
}
