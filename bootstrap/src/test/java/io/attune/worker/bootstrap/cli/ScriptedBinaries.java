package io.attune.worker.bootstrap.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Small shell scripts standing in for runtime binaries on a temporary PATH. */
final class ScriptedBinaries {

  private ScriptedBinaries() {
  }

  /**
   * Writes an executable script that prints the text and exits with the status. Its folder is opened to every user:
   * a worker running as root runs its actions as another user, and offers only interpreters that user can run.
   */
  static void script(Path dir, String name, String output, int exitStatus) {
    try {
      openToEveryone(dir);
      Path file = dir.resolve(name);
      Files.writeString(file, "#!/bin/sh\necho '" + output + "'\nexit " + exitStatus + "\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lets every user search the folder and those above it, up to the system's temporary folder. */
  static void openToEveryone(Path dir) throws IOException {
    Path top = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    for (Path folder = dir.toAbsolutePath(); folder != null && folder.startsWith(top) && !folder.equals(top);
        folder = folder.getParent()) {
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }
}
