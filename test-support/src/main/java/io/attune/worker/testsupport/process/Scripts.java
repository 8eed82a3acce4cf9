package io.attune.worker.testsupport.process;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;

/** Small helpers for tests that run real processes: scripted binaries, PID files, binaries of this machine. */
public final class Scripts {

  /** Scripts set their own PATH so that the PATH under test can hold nothing but the scripted binaries. */
  public static final String SHEBANG = "#!/bin/sh\nPATH=/usr/local/bin:/usr/bin:/bin; export PATH\n";

  private Scripts() {
  }

  /** Writes an executable POSIX shell script. */
  public static Path executable(Path directory, String name, String body) {
    Path file = write(directory, name, SHEBANG + body + "\n");
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /**
   * Writes an executable script standing in for a binary: it prints the text and exits with the status. Its folder
   * is opened to every user: a worker running as root runs its actions as another user, and offers only
   * interpreters that user can run.
   */
  public static Path printing(Path directory, String name, String output, int exitStatus) {
    try {
      openToEveryone(directory);
      Path file = write(directory, name, "#!/bin/sh\necho '" + output + "'\nexit " + exitStatus + "\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lets every user search the folder and those above it, up to the system's temporary folder. */
  public static void openToEveryone(Path directory) throws IOException {
    Path top = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    for (Path folder = directory.toAbsolutePath(); folder != null && folder.startsWith(top) && !folder.equals(top);
        folder = folder.getParent()) {
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  /** Writes a file with the given content, creating folders as needed. */
  public static Path write(Path directory, String name, String content) {
    try {
      Path file = directory.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a PID that a script wrote, waiting for the file to appear. */
  public static long pidIn(Path file) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (Files.exists(file)) {
          String text = Files.readString(file).strip();
          if (!text.isEmpty()) {
            return Long.parseLong(text);
          }
        }
        Thread.sleep(20);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return fail("no PID was written to " + file);
  }

  /**
   * True when the process is gone (or a zombie). A killed process needs a moment until the kernel is done with
   * it, so this waits a bounded while before answering false.
   */
  public static boolean endsSoon(long pid) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (!running(pid)) {
        return true;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** Alive and not a zombie: an orphan killed by force stays a zombie until its new parent reaps it. */
  public static boolean running(long pid) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException noProc) {
      return handle.get().isAlive();
    }
  }

  /** A binary on the JVM's PATH, such as {@code python3}, if this machine has it. */
  public static Optional<Path> onJvmPath(String binary) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String directory : path.split(File.pathSeparator)) {
      if (directory.isBlank()) {
        continue;
      }
      Path candidate = Path.of(directory, binary);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
