package io.attune.worker.adapter.local.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The user the worker process runs as.
 *
 * @param uid its effective user id, or -1 where the system does not tell (then it counts as not root)
 * @param name its user name, for messages
 */
record WorkerAccount(long uid, String name) {

  WorkerAccount {
    Objects.requireNonNull(name, "name");
  }

  /**
   * This process's account. The effective uid comes from {@code /proc/self/status} (Linux): the JDK's own
   * {@code com.sun.security.auth.module.UnixSystem} lives in a module that the worker images leave out.
   */
  static WorkerAccount current() {
    return new WorkerAccount(effectiveUid(), System.getProperty("user.name", "?"));
  }

  private static long effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          // real, effective, saved, file system
          return Long.parseLong(line.substring(4).strip().split("\\s+")[1]);
        }
      }
    } catch (IOException | RuntimeException noProc) {
      // not Linux: no launcher either, so no user switch to decide
    }
    return -1;
  }
}
