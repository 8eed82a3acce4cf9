package io.attune.worker.testsupport.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds and reads the repository's own files (docs, deployment files, scripts) from a test, in any module. */
public final class RepositoryFiles {

  private RepositoryFiles() {
  }

  /** The nearest directory at or above the working directory that holds {@code docker-compose.yaml}. */
  public static Path root() {
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docker-compose.yaml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no docker-compose.yaml beside a pom.xml at or above " + start);
  }

  /** A file's text (UTF-8), failing with its path when it cannot be read. */
  public static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }
}
