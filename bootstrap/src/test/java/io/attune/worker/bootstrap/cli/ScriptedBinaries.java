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

  /** Writes an executable script that prints the text and exits with the status. */
  static void script(Path dir, String name, String output, int exitStatus) {
    try {
      Path file = dir.resolve(name);
      Files.writeString(file, "#!/bin/sh\necho '" + output + "'\nexit " + exitStatus + "\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
