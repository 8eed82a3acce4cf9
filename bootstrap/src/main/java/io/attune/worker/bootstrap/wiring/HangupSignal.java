package io.attune.worker.bootstrap.wiring;

import java.util.Optional;
import sun.misc.Signal;

/**
 * SIGHUP as a request, the Unix custom for "look again": {@code kill -HUP <pid>}. By default the JVM treats SIGHUP
 * like SIGTERM (it runs the shutdown hooks, so a worker would drain and exit); handling it here replaces that default
 * for the whole process. Through {@code sun.misc.Signal}, the JDK's supported way (module {@code jdk.unsupported}).
 */
public final class HangupSignal {

  private static final String HUP = "HUP";

  private HangupSignal() {
  }

  /**
   * Runs {@code action} on every SIGHUP from now on, on the JVM's signal thread: keep it short (hand the work on).
   *
   * @return empty when installed, else why not (a JVM started with {@code -Xrs}, or a platform without SIGHUP), for
   *     a warning
   */
  public static Optional<String> onHangup(Runnable action) {
    try {
      Signal.handle(new Signal(HUP), signal -> action.run());
      return Optional.empty();
    } catch (IllegalArgumentException unavailable) {
      return Optional.of("SIGHUP cannot be handled here (" + unavailable.getMessage() + ")");
    }
  }

  /** Sends SIGHUP to this process, as {@code kill -HUP} would: for tests of what a hang-up does. */
  public static void raise() {
    Signal.raise(new Signal(HUP));
  }
}
