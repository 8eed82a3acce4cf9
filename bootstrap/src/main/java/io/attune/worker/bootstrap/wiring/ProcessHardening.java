package io.attune.worker.bootstrap.wiring;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;

/**
 * Keeps the worker's credentials out of its actions' reach. An action runs with a clean environment, but as the same
 * user as the worker, and could otherwise read {@code /proc/<worker pid>/environ} (the database and broker
 * passwords) or the worker's memory. Marking the process non-dumpable ({@code prctl(PR_SET_DUMPABLE, 0)}) makes the
 * kernel hand those files to root only and refuse ptrace to the same user. Linux only; through the JNA that the
 * build already ships for Argon2.
 */
public final class ProcessHardening {

  private static final int PR_SET_DUMPABLE = 4;
  private static final int PR_GET_DUMPABLE = 3;

  private ProcessHardening() {
  }

  /** The C library calls this needs. */
  interface LibC extends Library {
    int prctl(int option, long arg2, long arg3, long arg4, long arg5);
  }

  /**
   * Makes this process non-dumpable.
   *
   * @return empty when done, else why not (not Linux, or the call failed), for a warning
   */
  public static Optional<String> makeNonDumpable() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return Optional.of("not on Linux: actions running as this user can read this process's environment");
    }
    try {
      LibC libc = Native.load("c", LibC.class);
      if (libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        return Optional.of("prctl(PR_SET_DUMPABLE, 0) failed with errno " + Native.getLastError());
      }
      return Optional.empty();
    } catch (UnsatisfiedLinkError | RuntimeException unavailable) {
      return Optional.of("prctl is not available (" + unavailable.getMessage() + ")");
    }
  }

  /**
   * Whether the JVM refuses HotSpot's attach protocol ({@code -XX:+DisableAttachMechanism}). Without it, an action
   * running as the worker's user can ask the JVM for a heap dump (it needs no JDK: {@code .attach_pid}, SIGQUIT and a
   * few bytes over {@code /tmp/.java_pid<pid>}), and with it the database and broker passwords. Being non-dumpable
   * does not stop that: the JVM answers the request itself.
   *
   * @return empty when attaching is disabled, else a warning that says how to disable it
   */
  public static Optional<String> checkAttachDisabled() {
    try {
      HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      if (hotspot != null && "true".equals(hotspot.getVMOption("DisableAttachMechanism").getValue())) {
        return Optional.empty();
      }
    } catch (RuntimeException unknown) {
      return Optional.of("cannot tell whether the JVM's attach mechanism is disabled (" + unknown.getMessage()
          + "): start the JVM with -XX:+DisableAttachMechanism");
    }
    return Optional.of("the JVM's attach mechanism is enabled: an action running as this user can take a heap dump "
        + "of this process, credentials included. Start the JVM with -XX:+DisableAttachMechanism (the container "
        + "images do; elsewhere: java -XX:+DisableAttachMechanism -jar attune-worker.jar run, or "
        + "JAVA_TOOL_OPTIONS=-XX:+DisableAttachMechanism)");
  }

  /** Whether this process is dumpable: 1 yes, 0 no, -1 unknown (not Linux, or no C library). */
  public static int dumpable() {
    try {
      return Native.load("c", LibC.class).prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
    } catch (UnsatisfiedLinkError | RuntimeException unavailable) {
      return -1;
    }
  }
}
