package io.attune.worker.bootstrap.roles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file that the container health check ({@code docker/healthcheck.sh}) reads instead of starting a JVM: one line
 * {@code <epoch seconds> <stale after seconds> <worker name>}, rewritten each time a heartbeat reaches the database,
 * removed when the worker stops. Writes are atomic (a temporary file moved over the old one), so the check never
 * reads half a line. A file that cannot be written is logged once and otherwise ignored: the worker's work does not
 * depend on it, and the health check then reports the worker unhealthy, which is what an operator should look at.
 */
final class HealthFile {

  private static final Logger LOG = LoggerFactory.getLogger(HealthFile.class);

  private final Optional<Path> path;
  private final String workerName;
  private final Duration staleAfter;
  private volatile boolean failureLogged;

  HealthFile(Optional<Path> path, String workerName, Duration staleAfter) {
    this.path = path;
    this.workerName = workerName;
    this.staleAfter = staleAfter;
  }

  /** Records that a heartbeat stamped {@code at} reached the database. */
  void heartbeatStored(Instant at) {
    path.ifPresent(file -> {
      String line = at.getEpochSecond() + " " + staleAfter.toSeconds() + " " + workerName + "\n";
      try {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, ".health", ".tmp");
        Files.writeString(temporary, line, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        failureLogged = false;
      } catch (IOException | RuntimeException failed) {
        if (!failureLogged) {
          failureLogged = true;
          LOG.warn("health file {} cannot be written ({}): the container health check will report this worker "
              + "unhealthy", file, failed.toString());
        }
      }
    });
  }

  /** Removes the file: a stopped worker is not healthy. */
  void remove() {
    path.ifPresent(file -> {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // the process is ending; a stale file turns the check unhealthy on its own
      }
    });
  }
}
